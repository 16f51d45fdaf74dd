using System.Net.Http.Headers;
using McpGate.Gateway.Inspection;
using McpGate.Gateway.Stdio;
using McpGate.Mcp.JsonRpc;
using McpGate.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace McpGate.Gateway.Forwarding;

/// <summary>
/// Step 2 of the gate (docs/gateway.md, "What the gate does to each request"): the client's credentials never reach
/// the upstream (MCP forbids token passthrough); the upstream gets its own configured headers instead. Also hooks the
/// response transform. The gate strips the client's headers (<see cref="StripClientCredentials"/>) before it hands the
/// request to YARP, so YARP never copies them; the transform adds the upstream's.
/// </summary>
internal static class GateRequestTransform
{
    private static readonly string[] s_strippedHeaders =
    [
        HeaderNames.Authorization,
        HeaderNames.Cookie,
        HeaderNames.ProxyAuthorization,
        // The upstream has no business with the browser origin; the gate has already validated it.
        HeaderNames.Origin,
        "x-forwarded-user",
        "x-forwarded-groups",
    ];

    private const string TraceParentHeader = "traceparent";

    public static void StripClientCredentials(IHeaderDictionary headers, AuthConfig auth)
    {
        foreach (var name in s_strippedHeaders)
        {
            headers.Remove(name);
        }

        if (auth.Forwarded is { } forwarded)
        {
            headers.Remove(forwarded.Header);
            headers.Remove(forwarded.GroupsHeader);
        }
    }

    public static void Apply(TransformBuilderContext context)
    {
        context.AddRequestTransform(static transformContext =>
        {
            var headers = transformContext.ProxyRequest.Headers;
            if (transformContext.HttpContext.Features.Get<GateRequestContext>() is { } gate)
            {
                foreach (var (name, value) in gate.Upstream.Headers)
                {
                    headers.Remove(name);
                    headers.TryAddWithoutValidation(name, value);
                }

                // The upstream always hears which trace the call is in, tracing on or off, so its own logs join the
                // gate's audit rows by trace id. The caller's traceparent (which YARP copied) named the caller's span.
                headers.Remove(TraceParentHeader);
                headers.TryAddWithoutValidation(TraceParentHeader, TraceIds.TraceParent(gate.TraceId, gate.TraceFlags));

                if (gate.InspectedBody is { } body)
                {
                    transformContext.ProxyRequest.Options.Set(InspectedBodyHandler.BodyKey, body);
                    if (gate.Inspection is { } inspection)
                    {
                        // The stdio bridge passes on what the gate read, not a reading of its own.
                        transformContext.ProxyRequest.Options.Set(StdioBridgeHandler.InspectionKey, inspection);
                    }
                }
            }

            RemoveUnvalidatedParamHeaders(headers);

            return default;
        });

        var responses = context.Services.GetRequiredService<GateResponseTransform>();
        context.AddResponseTransform(responses.ApplyAsync);
    }

    /// <summary>
    /// Before 2026-07-28 no server checks <c>Mcp-Param-*</c> against the body, and the gate does not read tool
    /// arguments: a header nobody verifies is not passed on for someone behind the gate to act on. Works on the
    /// outgoing headers YARP already copied (their non-validated view enumerates without allocating).
    /// </summary>
    private static void RemoveUnvalidatedParamHeaders(HttpRequestHeaders headers)
    {
        var version = headers.NonValidated.TryGetValues(McpHeaders.ProtocolVersion, out var values) && values.Count == 1 ? values.ToString() : null;
        if (McpHeaders.ValidatesMirroredHeaders(version))
        {
            return;
        }

        List<string>? names = null;
        foreach (var (name, _) in headers.NonValidated)
        {
            if (name.StartsWith(McpHeaders.ParamPrefix, StringComparison.OrdinalIgnoreCase))
            {
                (names ??= []).Add(name);
            }
        }

        foreach (var name in names ?? [])
        {
            headers.Remove(name);
        }
    }
}
