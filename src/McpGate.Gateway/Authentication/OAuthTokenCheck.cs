using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.IdentityModel.JsonWebTokens;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// <c>mcp acl check --token</c>: validates a token exactly as the gate would on route <c>alias</c> (same settings,
/// same <see cref="OAuthTokenValidator"/>), and says where the identity came from, so an operator can answer "what can
/// this person's token do?".
/// </summary>
public static class OAuthTokenCheck
{
    public static async Task<OAuthTokenReport> ValidateAsync(OAuthSettings settings, string token, string alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var validator = new OAuthTokenValidator(settings, http, TimeProvider.System);
        var result = await validator.ValidateAsync(token.AsMemory(), alias).AsTask().WaitAsync(cancellationToken);
        IReadOnlyList<RoleOrigin> origins = result.Identity is null ? [] : validator.RoleOrigins(new JsonWebToken(token));
        return new OAuthTokenReport(result.Identity, result.Error, result.InsufficientScope, settings.SubjectClaim, origins, result.Issuer, result.ClientId);
    }
}

/// <summary>
/// What a token resolved to: the identity (null when refused), the refusal reason (<c>expired</c>, <c>audience</c>, …;
/// docs/oauth.md "Failure reasons"), and which claim values gave which roles.
/// </summary>
public sealed record OAuthTokenReport(
    Identity? Identity, string? Error, bool InsufficientScope, string SubjectClaim, IReadOnlyList<RoleOrigin> Roles, string? Issuer, string? ClientId);

/// <summary>One role of a token: <paramref name="Role"/> from the value <paramref name="Value"/> of claim <paramref name="Claim"/> (through roleMap when they differ).</summary>
public sealed record RoleOrigin(string Role, string Claim, string Value);
