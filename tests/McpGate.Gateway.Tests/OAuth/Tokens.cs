using System.Security.Cryptography;
using System.Text;
using McpGate.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace McpGate.Gateway.Tests.OAuth;

/// <summary>Tokens a real IdP never issues, signed (or not) the way an attacker or a broken clock would.</summary>
internal static class Tokens
{
    public static string Sign(IdpKey key, string issuer, string audience, string? scope = "mcp", string[]? groups = null,
        DateTime? notBefore = null, DateTime? expires = null, string subject = "sre-bot")
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["client_id"] = subject,
            ["groups"] = groups ?? ["sre"],
        };
        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).AddSeconds(-1),
            NotBefore = notBefore ?? now.AddSeconds(-1),
            Expires = expires ?? now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key.Rsa) { KeyId = key.KeyId }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary><c>alg: none</c> with the claims of a valid token and no signature.</summary>
    public static string Unsigned(string validToken) =>
        Encode("""{"alg":"none","typ":"JWT"}""") + "." + validToken.Split('.')[1] + ".";

    /// <summary>
    /// HS256 "signed" with the IdP's public key as the HMAC secret: the algorithm-confusion attack against a verifier
    /// that lets the token pick the algorithm for an RSA key.
    /// </summary>
    public static string HmacWithPublicKey(IdpKey key, string validToken)
    {
        var header = Encode($$"""{"alg":"HS256","typ":"JWT","kid":"{{key.KeyId}}"}""");
        var signingInput = header + "." + validToken.Split('.')[1];
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.PublicKeyPem), Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(json);
}
