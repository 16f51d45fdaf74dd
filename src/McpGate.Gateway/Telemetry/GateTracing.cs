using System.Diagnostics;
using System.Globalization;
using McpGate.Audit;
using McpGate.Gateway.Inspection;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;
using static McpGate.Gateway.Telemetry.GateTelemetryNames;

namespace McpGate.Gateway.Telemetry;

/// <summary>
/// The gate's span per MCP request (docs/observability.md, "Traces"): named <c>{mcp.method.name} {target}</c>, with
/// the semantic conventions' attributes and the decision. Started only when something listens to
/// <see cref="Source"/> and samples it; otherwise no <see cref="Activity"/> exists and the request pays one check.
/// </summary>
internal static class GateTracing
{
    public static readonly ActivitySource Source = new(GateTelemetryNames.Source);

    /// <summary>The request's span, continuing the caller's trace; null when nothing listens (or the sampler declines).</summary>
    public static Activity? StartRequest(HttpContext context)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // Under ASP.NET Core's own span (its instrumentation on) the parent is that span; else the caller's traceparent.
        ActivityContext parent = default;
        if (Activity.Current is null)
        {
            var headers = context.Request.Headers;
            ActivityContext.TryParse(headers.TraceParent.ToString(), headers.TraceState.ToString(), isRemote: true, out parent);
        }

        // The name is provisional: the method and target are known once the body is parsed (Complete renames it).
        var activity = Source.StartActivity("mcp", ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(NetworkTransport, "tcp");
            activity.SetTag(NetworkProtocolName, "http");
        }

        return activity;
    }

    /// <summary>The decision on the single message this request carries (a batch's elements are on the audit rows).</summary>
    public static void Decided(Activity activity, in Decision decision, string decisionId)
    {
        if (!activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag(GateTelemetryNames.Decision, decision.Verdict.ToWire());
        activity.SetTag(MatchedRule, decision.MatchedRule);
        activity.SetTag(DecisionId, decisionId);
        activity.SetTag(Access, decision.AccessKind.ToWire());
    }

    /// <summary>Names the span after what it carried and records how it ended; the caller stops it.</summary>
    public static void Complete(Activity activity, HttpContext context, Exception? exception)
    {
        var gate = context.Features.Get<GateRequestContext>();
        var result = gate?.Result ?? (context.Response.StatusCode == StatusCodes.Status401Unauthorized ? AuditResults.Unauthenticated : null);
        if (activity.IsAllDataRequested)
        {
            if (gate is not null)
            {
                activity.SetTag(Server, gate.Upstream.Alias);
                if (gate.Message is { } message)
                {
                    var method = GateMetrics.MethodLabel(message.Method);
                    var target = Target(message);
                    activity.DisplayName = target is null ? method : $"{method} {target}";
                    activity.SetTag(MethodName, method);
                    activity.SetTag(RequestId, message.Id.ToAuditString());
                    switch (message.Method)
                    {
                        case McpMethods.ToolsCall:
                            activity.SetTag(ToolName, message.Name);
                            activity.SetTag(OperationName, "execute_tool");
                            break;
                        case McpMethods.PromptsGet:
                            activity.SetTag(PromptName, message.Name);
                            break;
                        case McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe:
                            activity.SetTag(ResourceUri, message.Uri);
                            break;
                    }
                }
                else
                {
                    activity.DisplayName = $"{context.Request.Method} mcp/{gate.Upstream.Alias}";
                }

                if (gate.Batch is { } batch)
                {
                    activity.SetTag("mcpgate.batch.size", batch.Count);
                }
            }

            var headers = context.Request.Headers;
            if (headers[McpHeaders.SessionId] is { Count: 1 } session)
            {
                activity.SetTag(SessionId, session.ToString());
            }

            if (ProtocolVersions.Label(headers[McpHeaders.ProtocolVersion].ToString()) is { } version)
            {
                activity.SetTag(ProtocolVersion, version);
            }

            activity.SetTag(Result, result);
            activity.SetTag("http.response.status_code", context.Response.StatusCode);
        }

        if (exception is not null)
        {
            activity.AddException(exception);
            activity.SetTag(ErrorType, exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error);
        }
        else if (result is not null && result != AuditResults.Ok)
        {
            activity.SetTag(ErrorType, result);
            activity.SetStatus(ActivityStatusCode.Error, result);
        }
    }

    private static string? Target(InspectedMessage message) => message.Method switch
    {
        McpMethods.ToolsCall or McpMethods.PromptsGet => message.Name,
        McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe => message.Uri,
        _ => null,
    };
}
