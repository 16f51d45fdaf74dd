using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGate.Bench;

/// <summary>
/// An OpenID issuer cut down to what a resource server reads: an RSA key made when the bench starts, the discovery
/// document naming its JWKS, the JWKS, and access tokens signed with the key. The load bench serves it on loopback
/// for the OAuth gate (BenchRunner's PeerHost); the micro benchmark serves it from memory.
/// </summary>
internal sealed class BenchIssuer : IDisposable
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string JwksPath = "/jwks";

    private readonly RSA _rsa = RSA.Create(2048);

    public BenchIssuer(string url)
    {
        Url = url.TrimEnd('/');
        KeyId = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    }

    /// <summary>The <c>iss</c> of its tokens, and the base of its discovery document.</summary>
    public string Url { get; }

    public string KeyId { get; }

    /// <summary>OpenID Connect discovery: the issuer and where its keys are; nothing else is read by the gate.</summary>
    public byte[] Discovery() => Json(writer =>
    {
        writer.WriteString("issuer", Url);
        writer.WriteString("jwks_uri", Url + JwksPath);
        writer.WriteStartArray("id_token_signing_alg_values_supported");
        writer.WriteStringValue(SecurityAlgorithms.RsaSha256);
        writer.WriteEndArray();
    });

    /// <summary>The public half of the key, as RFC 7517 writes it.</summary>
    public byte[] Jwks() => Json(writer =>
    {
        var key = _rsa.ExportParameters(includePrivateParameters: false);
        writer.WriteStartArray("keys");
        writer.WriteStartObject();
        writer.WriteString("kty", "RSA");
        writer.WriteString("use", "sig");
        writer.WriteString("alg", SecurityAlgorithms.RsaSha256);
        writer.WriteString("kid", KeyId);
        writer.WriteString("n", Base64UrlEncoder.Encode(key.Modulus));
        writer.WriteString("e", Base64UrlEncoder.Encode(key.Exponent));
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    /// <summary>An RS256 access token as an IdP issues one for a client acting for <paramref name="subject"/>.</summary>
    public string Mint(string audience, string subject, IReadOnlyList<string> groups, string scope, TimeSpan lifetime)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Url,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.Add(lifetime),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["azp"] = "mcpgate-bench",
                ["groups"] = groups.ToArray(),
                ["scope"] = scope,
            },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose() => _rsa.Dispose();

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
