using System.Text;
using McpGate.Gateway.Inspection;
using McpGate.Configuration;
using Microsoft.AspNetCore.Http;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// The refusals of the MCP authorization spec (RFC 6750 §3, RFC 9728 §5.1): 401 with a <c>WWW-Authenticate</c>
/// challenge that points at the route's Protected Resource Metadata, so a client can discover where to sign in;
/// <c>error="invalid_token"</c> when a token was presented; 403 <c>insufficient_scope</c> naming the scopes needed.
/// </summary>
internal static class OAuthChallenge
{
    public static Task WriteAsync(HttpContext context, AuthConfig auth, string alias, OAuthResult? refused)
    {
        if (auth.OAuth is not { } settings)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, default, JsonRpcResponses.Unauthenticated, "unauthenticated");
        }

        var challenge = new StringBuilder("Bearer resource_metadata=\"").Append(settings.MetadataUrlFor(alias)).Append('"');
        if (refused is { InsufficientScope: true })
        {
            challenge.Append(", error=\"insufficient_scope\"");
            AppendScope(challenge, settings);
            context.Response.Headers.WWWAuthenticate = challenge.ToString();
            return JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, default, JsonRpcResponses.Unauthenticated, "insufficient_scope");
        }

        if (CallerAuthenticator.BearerToken(context.Request) is not null)
        {
            // The reason code stays in the audit: the caller learns that its token was refused, not which check failed.
            challenge.Append(", error=\"invalid_token\"");
        }

        AppendScope(challenge, settings);
        context.Response.Headers.WWWAuthenticate = challenge.ToString();
        return JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, default, JsonRpcResponses.Unauthenticated, "unauthenticated");
    }

    private static void AppendScope(StringBuilder challenge, OAuthSettings settings)
    {
        if (settings.RequiredScopes.Count > 0)
        {
            challenge.Append(", scope=\"").AppendJoin(' ', settings.RequiredScopes).Append('"');
        }
    }
}
