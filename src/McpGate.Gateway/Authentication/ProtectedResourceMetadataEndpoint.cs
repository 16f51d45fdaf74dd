using System.Text.Json;
using McpGate.Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// RFC 9728 Protected Resource Metadata for each route, at <c>/.well-known/oauth-protected-resource/mcp/{alias}</c>
/// (path insertion, §3.1), read from the current config so a reload changes it at once. What an MCP client reads
/// after a 401 to find the authorization server and the resource indicator to ask a token for.
/// </summary>
internal static class ProtectedResourceMetadataEndpoint
{
    public const string PathPrefix = "/.well-known/oauth-protected-resource";

    public static IEndpointRouteBuilder MapProtectedResourceMetadata(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PathPrefix + "/mcp/{alias}", WriteAsync);
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, string alias, GateStateStore store)
    {
        var config = store.Current.Config;
        if (config.Auth.OAuth is not { } settings || !config.Servers.ContainsKey(alias))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("resource", settings.ResourceFor(alias));
            writer.WriteStartArray("authorization_servers");
            writer.WriteStringValue(settings.Issuer);
            writer.WriteEndArray();
            if (settings.ScopesSupported.Count > 0)
            {
                writer.WriteStartArray("scopes_supported");
                foreach (var scope in settings.ScopesSupported)
                {
                    writer.WriteStringValue(scope);
                }

                writer.WriteEndArray();
            }

            writer.WriteStartArray("bearer_methods_supported");
            writer.WriteStringValue("header");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).AsTask();
    }
}
