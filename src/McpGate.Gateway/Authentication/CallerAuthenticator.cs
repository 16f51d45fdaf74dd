using System.Net;
using System.Security.Cryptography;
using System.Text;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// Runs the provider chain of <c>serverAuth.providers</c> (docs/acl.md, "Authentication (`serverAuth`)"): the first
/// provider that recognises the caller wins; none → the caller is unauthenticated. With no providers every caller is
/// <c>anonymous</c>.
/// </summary>
/// <remarks>
/// The <c>oauth</c> provider is the one that can fail loudly: when it refuses a token and no later provider accepts
/// the caller, the outcome carries its reason, so the 401 says <c>invalid_token</c> and the audit row says why.
/// </remarks>
internal static class CallerAuthenticator
{
    private const int MaxTokenBytes = 4096;

    // A JWT is longer than a static token (RSA signatures alone are 342 characters); IdPs with many groups in the
    // token go past 4 KiB, and Kestrel's header limit bounds it anyway.
    private const int MaxJwtChars = 16 * 1024;

    /// <summary>
    /// The chain, in order. Completes synchronously unless the <c>oauth</c> provider has to verify a token it has
    /// not seen (or fetch the issuer's keys), so bearer, forwarded and cached OAuth callers cost no await.
    /// </summary>
    public static ValueTask<AuthOutcome> AuthenticateAsync(HttpContext context, AuthConfig auth, OAuthValidators oauth, string alias)
    {
        if (auth.Providers.Count == 0)
        {
            return ValueTask.FromResult(new AuthOutcome(Identity.Anonymous, null));
        }

        for (var i = 0; i < auth.Providers.Count; i++)
        {
            var provider = auth.Providers[i];
            if (provider == AuthProviderKind.OAuth && auth.OAuth is { } settings)
            {
                if (BearerToken(context.Request) is not { } token)
                {
                    continue;
                }

                var pending = oauth.For(settings).ValidateAsync(token, alias);
                return pending.IsCompletedSuccessfully
                    ? ContinueAfterOAuth(context, auth, i, pending.Result)
                    : AwaitOAuthAsync(context, auth, i, pending);
            }

            var identity = FromProvider(context, auth, provider);
            if (identity is not null)
            {
                return ValueTask.FromResult(new AuthOutcome(identity, null));
            }
        }

        return ValueTask.FromResult(new AuthOutcome(null, null));
    }

    private static async ValueTask<AuthOutcome> AwaitOAuthAsync(HttpContext context, AuthConfig auth, int index, ValueTask<OAuthResult> pending) =>
        await ContinueAfterOAuth(context, auth, index, await pending);

    /// <summary>A valid token (with or without its scopes) ends the chain; a refused one lets the later providers try.</summary>
    private static ValueTask<AuthOutcome> ContinueAfterOAuth(HttpContext context, AuthConfig auth, int index, OAuthResult result)
    {
        if (result.Identity is not null)
        {
            return ValueTask.FromResult(new AuthOutcome(result.InsufficientScope ? null : result.Identity, result));
        }

        for (var i = index + 1; i < auth.Providers.Count; i++)
        {
            if (FromProvider(context, auth, auth.Providers[i]) is { } identity)
            {
                return ValueTask.FromResult(new AuthOutcome(identity, null));
            }
        }

        return ValueTask.FromResult(new AuthOutcome(null, result));
    }

    private static Identity? FromProvider(HttpContext context, AuthConfig auth, AuthProviderKind provider) => provider switch
    {
        AuthProviderKind.Bearer => FromBearer(context.Request, auth),
        AuthProviderKind.Forwarded when auth.Forwarded is { } forwarded => FromForwarded(context, forwarded),
        _ => null,
    };

    /// <summary>The token of a single <c>Authorization: Bearer …</c> header, or null.</summary>
    public static ReadOnlyMemory<char>? BearerToken(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization];
        if (header.Count != 1 || header[0] is not { } value)
        {
            return null;
        }

        const string Scheme = "Bearer ";
        if (value.Length <= Scheme.Length || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value.AsMemory(Scheme.Length).Trim();
        return token.IsEmpty || token.Length > MaxJwtChars ? null : token;
    }

    private static Identity? FromBearer(HttpRequest request, AuthConfig auth)
    {
        if (BearerToken(request) is not { } memory)
        {
            return null;
        }

        var token = memory.Span;
        if (Encoding.UTF8.GetMaxByteCount(token.Length) > MaxTokenBytes)
        {
            return null;
        }

        var cache = BearerTokenCache.For(auth);
        if (cache.TryGet(token, out var known))
        {
            return known;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], presented);
        CryptographicOperations.ZeroMemory(utf8);

        // Compare against every entry, always: the time taken must not say which token came close.
        BearerTokenEntry? match = null;
        foreach (var entry in auth.BearerTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, entry.Sha256) && match is null)
            {
                match = entry;
            }
        }

        if (match is null)
        {
            return null;
        }

        var identity = new Identity(match.Subject, match.Roles, AuthSource.Bearer);
        cache.Add(token, identity);
        return identity;
    }

    private static Identity? FromForwarded(HttpContext context, ForwardedAuthSettings settings)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null || !IsTrusted(peer, settings.TrustedProxies))
        {
            return null;
        }

        var user = context.Request.Headers[settings.Header];
        if (user.Count != 1 || string.IsNullOrWhiteSpace(user[0]))
        {
            return null;
        }

        var roles = new List<string>();
        foreach (var value in context.Request.Headers[settings.GroupsHeader])
        {
            if (value is null)
            {
                continue;
            }

            foreach (var group in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                roles.Add(group);
            }
        }

        return new Identity(user[0]!.Trim(), roles, AuthSource.Forwarded);
    }

    private static bool IsTrusted(IPAddress peer, IReadOnlyList<IPNetwork> trusted)
    {
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        foreach (var network in trusted)
        {
            if (network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// What the chain found: an identity, or none; <see cref="OAuth"/> is the <c>oauth</c> provider's verdict when it
/// decided the outcome (a refused token, or a valid one lacking a required scope, which has no identity here).
/// </summary>
internal readonly record struct AuthOutcome(Identity? Identity, OAuthResult? OAuth);
