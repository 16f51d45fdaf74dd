using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace McpGate.Testing;

/// <summary>
/// A real OpenID provider (oidc-provider, OpenID Certified) on loopback: tests/peers/idp/idp.mjs, installed by the
/// tests from its committed lock file. The tests make its RSA signing keys, so they can also sign tokens a real IdP
/// never issues (expired, another issuer, tampered) with the IdP's own key, and rotate keys: <see cref="RotateKeyAsync"/>
/// restarts it on the same port with a new key first, as an IdP does when it rolls its signing key.
/// </summary>
public sealed class IdpPeer : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<IdpKey> _keys = [];
    private ServiceProcess? _process;

    private IdpPeer(int port)
    {
        Port = port;
        Issuer = $"http://127.0.0.1:{port}";
    }

    public static string Directory { get; } = Path.Combine(RepositoryFiles.Root, "tests", "peers", "idp");

    public int Port { get; }

    /// <summary>The issuer, without a trailing slash (the <c>iss</c> of its tokens).</summary>
    public string Issuer { get; }

    /// <summary>The key that signs now.</summary>
    public IdpKey SigningKey => _keys[0];

    public static async Task<IdpPeer> StartAsync()
    {
        await NodePeers.EnsureInstalledAsync(Directory, "oidc-provider");
        var idp = new IdpPeer(UnusedLoopback.Port());
        idp._keys.Add(IdpKey.Create("key-1"));
        await idp.StartProcessAsync();
        return idp;
    }

    /// <summary>A new signing key, published first; the old keys stay published so tokens already issued stay valid.</summary>
    public async Task RotateKeyAsync()
    {
        await StopProcessAsync();
        _keys.Insert(0, IdpKey.Create($"key-{_keys.Count + 1}"));
        await StartProcessAsync();
    }

    /// <summary>
    /// A servers.json whose gate accepts this IdP's tokens for <paramref name="resource"/> (the gate's own URL) on two
    /// routes to <paramref name="upstream"/>, <c>files</c> and <c>other</c>. Roles come from the token's <c>groups</c>
    /// through a roleMap: sre → admin (everything), engineering → dev (read tools on files).
    /// </summary>
    public string GateConfig(Uri upstream, string resource) => $$"""
    {
      "mcpServers": { "files": { "url": "{{upstream}}" }, "other": { "url": "{{upstream}}" } },
      "serverAuth": {
        "providers": ["oauth"],
        "oauth": {
          "issuer": "{{Issuer}}",
          "resource": "{{resource}}",
          "subjectClaim": "sub",
          "roleClaims": ["groups"],
          "roleMap": { "sre": ["admin"], "engineering": ["dev"] },
          "requiredScopes": ["mcp"],
          "scopesSupported": ["mcp"]
        },
        "acl": {
          "default": "deny",
          "roles": {
            "admin": [ { "server": "*", "access": "*" } ],
            "dev": [ { "server": "files", "access": "read", "tools": ["*"] } ]
          }
        }
      }
    }
    """;

    /// <summary>
    /// <paramref name="token"/>, one this IdP issued, with the sre group put first in its payload's <c>groups</c> and
    /// the IdP's signature kept: a caller forging the admin role, refused for the signature.
    /// </summary>
    public static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["groups"]!.AsArray().Insert(0, "sre");
        return parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];
    }

    /// <summary>A JWT access token for <paramref name="resource"/> by the client credentials grant (RFC 8707 resource indicator).</summary>
    public async Task<string> ClientCredentialsTokenAsync(string clientId, string resource, string? scope = "mcp")
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientId.Replace("-bot", "-secret", StringComparison.Ordinal),
            ["resource"] = resource,
        };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        using var response = await _http.PostAsync(new Uri(Issuer + "/token"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the IdP refused the token request ({(int)response.StatusCode}): {body}");
        }

        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>The public client of the authorization code flow (PKCE, no secret) and its redirect URI.</summary>
    public const string CodeClientId = "mcp-app";

    /// <summary>A confidential client of the same flow (PKCE and client_secret_basic), for clients that always send a secret.</summary>
    public const string ConfidentialCodeClientId = "mcp-web";

    public const string ConfidentialCodeClientSecret = "mcp-web-secret";

    public static readonly Uri CodeRedirectUri = new("http://127.0.0.1/callback");

    /// <summary>
    /// What a user's browser does at the IdP, over plain HTTP: follows <paramref name="authorizationUri"/>'s redirects,
    /// submits the login form as <paramref name="login"/> (alice: sre, bob: engineering) and the consent form, with the
    /// IdP's cookies, until the IdP redirects to <see cref="CodeRedirectUri"/>. Returns that redirect (code, state, iss).
    /// </summary>
    public static async Task<Uri> SignInAsync(Uri authorizationUri, string login, CancellationToken ct = default)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var trail = new List<string>();
        var url = authorizationUri;
        HttpContent? form = null;
        for (var step = 0; step < 12; step++)
        {
            using var request = new HttpRequestMessage(form is null ? HttpMethod.Get : HttpMethod.Post, url) { Content = form };
            using var response = await browser.SendAsync(request, ct);
            trail.Add($"{request.Method} {url.AbsolutePath} → {(int)response.StatusCode}");
            if (response.Headers.Location is { } location)
            {
                var next = new Uri(url, location);
                if (next.GetLeftPart(UriPartial.Path) == CodeRedirectUri.ToString())
                {
                    return next;
                }

                (url, form) = (next, null);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync(ct);
            var match = Regex.Match(html, "<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", RegexOptions.Singleline);
            if (!response.IsSuccessStatusCode || !match.Success)
            {
                throw new InvalidOperationException($"the IdP's pages did not lead to the redirect URI: {string.Join(", ", trail)}\n{html[..Math.Min(html.Length, 2000)]}");
            }

            var fields = Regex.Matches(match.Groups[2].Value, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
                .ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
            if (fields.GetValueOrDefault("prompt") == "login")
            {
                fields["login"] = login;
                fields["password"] = "any";
            }

            (url, form) = (new Uri(url, WebUtility.HtmlDecode(match.Groups[1].Value)), new FormUrlEncodedContent(fields));
        }

        throw new InvalidOperationException($"too many steps at the IdP: {string.Join(", ", trail)}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        _http.Dispose();
        foreach (var key in _keys)
        {
            key.Rsa.Dispose();
        }
    }

    private async Task StartProcessAsync()
    {
        (_process, _) = await NodePeers.StartListeningAsync(Directory, "idp.mjs", new Dictionary<string, string>
        {
            ["IDP_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["IDP_JWKS"] = new JsonObject { ["keys"] = new JsonArray([.. _keys.Select(k => k.ToPrivateJwk())]) }.ToJsonString(),
        });
    }

    private async Task StopProcessAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }
}

/// <summary>An RSA signing key of the <see cref="IdpPeer"/> and its <c>kid</c>.</summary>
public sealed record IdpKey(string KeyId, RSA Rsa)
{
    public static IdpKey Create(string keyId) => new(keyId, RSA.Create(2048));

    /// <summary>The public key as the IdP's JWKS publishes it, PEM-encoded: what an alg-confusion attacker has.</summary>
    public string PublicKeyPem => Rsa.ExportSubjectPublicKeyInfoPem();

    internal JsonObject ToPrivateJwk()
    {
        var p = Rsa.ExportParameters(includePrivateParameters: true);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["kid"] = KeyId,
            ["alg"] = "RS256",
            ["use"] = "sig",
            ["n"] = B64(p.Modulus!),
            ["e"] = B64(p.Exponent!),
            ["d"] = B64(p.D!),
            ["p"] = B64(p.P!),
            ["q"] = B64(p.Q!),
            ["dp"] = B64(p.DP!),
            ["dq"] = B64(p.DQ!),
            ["qi"] = B64(p.InverseQ!),
        };
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
