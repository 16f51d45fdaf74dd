using Microsoft.IdentityModel.Tokens;

namespace McpGate.Gateway.Authentication;

/// <summary>The reason codes of a refused token (audit field <c>auth_error</c>, docs/oauth.md "Failure reasons").</summary>
internal static class OAuthErrors
{
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string Audience = "audience";
    public const string Issuer = "issuer";
    public const string UnknownKey = "unknown_key";
    public const string Algorithm = "algorithm";
    public const string Signature = "signature";
    public const string Malformed = "malformed";
    public const string SubjectMissing = "subject_missing";
    public const string InsufficientScope = "insufficient_scope";
    public const string IdpUnavailable = "idp_unavailable";
    public const string Invalid = "invalid";

    /// <summary>Most specific first: the platform's exception types derive from one another.</summary>
    public static string From(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => Expired,
        SecurityTokenNotYetValidException => NotYetValid,
        SecurityTokenNoExpirationException => Expired,
        SecurityTokenInvalidLifetimeException => Expired,
        SecurityTokenInvalidAudienceException => Audience,
        SecurityTokenInvalidIssuerException => Issuer,
        SecurityTokenInvalidAlgorithmException => Algorithm,
        SecurityTokenSignatureKeyNotFoundException => UnknownKey,
        SecurityTokenInvalidSignatureException => Signature,
        SecurityTokenMalformedException or ArgumentException => Malformed,
        IOException or HttpRequestException or InvalidOperationException => IdpUnavailable,
        _ => Invalid,
    };
}
