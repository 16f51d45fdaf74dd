using McpGate.Audit;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Evaluation;

namespace McpGate.Gateway.Inspection;

/// <summary>Builds audit records from what the gate knows; the decision fields are the evaluator's, unchanged.</summary>
internal static class GateAuditRecords
{
    public static AuditRecord ForDecision(GateRequestContext gate, InspectedMessage message, in Decision decision, string decisionId, string result, double durationMs, int? upstreamStatus, string? rateLimitRule = null) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Event = EventFor(decision.TargetKind),
        DecisionId = decisionId,
        TraceId = gate.TraceId,
        JsonRpcId = message.Id.ToAuditString(),
        Subject = gate.Identity.Subject,
        Roles = gate.State.Config.Evaluator.EffectiveRoles(gate.Identity),
        CredentialRoles = gate.Identity.Roles,
        Auth = gate.Identity.Auth.ToWire(),
        Issuer = gate.Identity.Issuer,
        ClientId = gate.Identity.ClientId,
        Server = gate.Upstream.Alias,
        Method = message.Method,
        Tool = decision.TargetKind == TargetKind.Tool ? decision.Target : null,
        Resource = decision.TargetKind == TargetKind.Resource ? decision.Target : null,
        Prompt = decision.TargetKind == TargetKind.Prompt ? decision.Target : null,
        Decision = decision,
        Result = result,
        DurationMs = durationMs,
        UpstreamStatus = upstreamStatus,
        ArgKeys = decision.TargetKind == TargetKind.Tool ? message.ArgumentKeys : null,
        RateLimitRule = rateLimitRule,
        GateInstance = gate.Instance,
    };

    public static AuditRecord Rejected(GateRequestContext gate, InspectedMessage? message, string result) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Event = AuditEvents.RequestRejected,
        TraceId = gate.TraceId,
        JsonRpcId = message?.Id.ToAuditString(),
        Subject = gate.Identity.Subject,
        Roles = gate.State.Config.Evaluator.EffectiveRoles(gate.Identity),
        CredentialRoles = gate.Identity.Roles,
        Auth = gate.Identity.Auth.ToWire(),
        Issuer = gate.Identity.Issuer,
        ClientId = gate.Identity.ClientId,
        Server = gate.Upstream.Alias,
        Method = message?.Method,
        Result = result,
        GateInstance = gate.Instance,
    };

    public static AuditRecord AuthFailed(string traceId, string server, string instance, string? error = null, string? issuer = null, string? clientId = null) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Event = AuditEvents.AuthFailed,
        TraceId = traceId,
        Server = server,
        Decision = null,
        Result = AuditResults.Unauthenticated,
        Issuer = issuer,
        ClientId = clientId,
        AuthError = error,
        GateInstance = instance,
    };

    public static AuditRecord ListFiltered(GateRequestContext gate, IReadOnlyList<string> hidden) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Event = AuditEvents.ListFiltered,
        TraceId = gate.TraceId,
        JsonRpcId = gate.Message?.Id.ToAuditString(),
        Subject = gate.Identity.Subject,
        Roles = gate.State.Config.Evaluator.EffectiveRoles(gate.Identity),
        CredentialRoles = gate.Identity.Roles,
        Auth = gate.Identity.Auth.ToWire(),
        Issuer = gate.Identity.Issuer,
        ClientId = gate.Identity.ClientId,
        Server = gate.Upstream.Alias,
        Method = gate.Message?.Method,
        Result = AuditResults.Ok,
        DurationMs = gate.ElapsedMilliseconds,
        Hidden = hidden,
        GateInstance = gate.Instance,
    };

    private static string EventFor(TargetKind kind) => kind switch
    {
        TargetKind.Tool => AuditEvents.ToolCalled,
        TargetKind.Resource => AuditEvents.ResourceRead,
        _ => AuditEvents.PromptGet,
    };
}
