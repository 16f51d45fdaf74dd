using McpGate.Gateway.Authentication;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Inspection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace McpGate.Gateway.Hosting;

/// <summary>The gate's own endpoints: liveness, readiness (<see cref="GatewayHealthChecks"/>) and a JSON-RPC 404 for everything else.</summary>
internal static class GatewayEndpoints
{
    public static IEndpointRouteBuilder MapGatewayEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGatewayHealthChecks();
        endpoints.MapProtectedResourceMetadata();

        // An unknown alias names no other alias: callers learn nothing about what else stands behind the gate.
        endpoints.Map(ProxyConfigFactory.RoutePrefix + "{**rest}", WriteUnknownServerAsync).WithOrder(int.MaxValue);
        endpoints.MapFallback(WriteNotFoundAsync);
        return endpoints;
    }

    public static Task WriteUnknownServerAsync(HttpContext context) =>
        JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, default, JsonRpcResponses.InvalidRequest, "unknown MCP server");

    private static Task WriteNotFoundAsync(HttpContext context) =>
        JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, default, JsonRpcResponses.InvalidRequest, "not found");
}
