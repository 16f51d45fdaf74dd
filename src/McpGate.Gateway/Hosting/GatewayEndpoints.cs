using System.Text.Json;
using McpGate.Audit;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Inspection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace McpGate.Gateway.Hosting;

/// <summary>The gate's own endpoints: liveness, readiness and a JSON-RPC 404 for everything else.</summary>
internal static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", static () => Results.Text("ok\n", "text/plain"));
        endpoints.MapGet("/readyz", WriteReadinessAsync);

        // An unknown alias names no other alias: callers learn nothing about what else stands behind the gate.
        endpoints.Map(ProxyConfigFactory.RoutePrefix + "{**rest}", WriteUnknownServerAsync).WithOrder(int.MaxValue);
        endpoints.MapFallback(WriteNotFoundAsync);
        return endpoints;
    }

    public static Task WriteUnknownServerAsync(HttpContext context) =>
        JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, default, JsonRpcResponses.InvalidRequest, "unknown MCP server");

    private static Task WriteNotFoundAsync(HttpContext context) =>
        JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, default, JsonRpcResponses.InvalidRequest, "not found");

    private static async Task WriteReadinessAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var store = services.GetRequiredService<GateStateStore>();
        var health = services.GetRequiredService<UpstreamHealth>();
        var audit = services.GetRequiredService<IAuditHealth>();
        var state = store.Current;

        // A gate whose audit sink is failing right now still denies correctly, but it is not fit to take traffic.
        var ready = !audit.IsFailing;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("upstreams");
            foreach (var (alias, upstream) in state.Config.Servers)
            {
                writer.WriteStartObject(alias);
                if (upstream.Url is null)
                {
                    writer.WriteBoolean("reachable", false);
                    writer.WriteNumber("tools", 0);
                    writer.WriteNull("last_checked");
                    writer.WriteString("last_error", "command (stdio) upstreams are not proxied");
                }
                else if (health.Get(alias) is { } status)
                {
                    ready &= status.Reachable;
                    writer.WriteBoolean("reachable", status.Reachable);
                    writer.WriteNumber("tools", status.Tools);
                    writer.WriteString("last_checked", AuditTimestamp.ToText(status.LastChecked));
                    if (status.LastError is null)
                    {
                        writer.WriteNull("last_error");
                    }
                    else
                    {
                        writer.WriteString("last_error", status.LastError);
                    }
                }
                else
                {
                    ready = false;
                    writer.WriteNull("reachable");
                    writer.WriteNumber("tools", 0);
                    writer.WriteNull("last_checked");
                    writer.WriteNull("last_error");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("policy");
            writer.WriteString("path", Path.GetFullPath(state.Config.SourcePath));
            writer.WriteString("schema", state.Config.Evaluator.Schema);
            writer.WriteNumber("revision", state.Revision);
            writer.WriteString("loaded_at", AuditTimestamp.ToText(state.LoadedAt));
            writer.WriteNumber("refused_reloads", store.RefusedReloads);
            writer.WriteEndObject();
            writer.WriteStartObject("audit");
            writer.WriteString("destination", audit.Destination);
            writer.WriteNumber("failures", audit.FailureCount);
            writer.WriteBoolean("failing", audit.IsFailing);
            if (audit.LastFailureAt is { } lastFailure)
            {
                writer.WriteString("last_failure_at", AuditTimestamp.ToText(lastFailure));
            }
            else
            {
                writer.WriteNull("last_failure_at");
            }

            writer.WriteEndObject();
            writer.WriteBoolean("ready", ready);
            writer.WriteEndObject();
        }

        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }
}
