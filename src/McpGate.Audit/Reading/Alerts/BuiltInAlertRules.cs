namespace McpGate.Audit.Reading.Alerts;

/// <summary>The rules <c>mcp audit alerts</c> evaluates without a rule file (docs/audit.md, "Alert rules").</summary>
public static class BuiltInAlertRules
{
    public const string CapabilityDenied = "capability_denied_24h";
    public const string Unauthenticated = "unauthenticated_24h";
    public const string StrictDenied = "strict_denied_24h";

    private static readonly TimeSpan s_day = TimeSpan.FromHours(24);

    public static IReadOnlyList<AlertRule> All { get; } =
    [
        new AlertRule
        {
            Name = CapabilityDenied,
            Description = "one subject was denied more than 10 calls in 24 h: a misconfigured agent, or someone probing for tools",
            Severity = AlertSeverity.High,
            Window = s_day,
            WindowText = "24h",
            Threshold = 10,
            Match = [new FieldMatch(AuditFields.Result, [MatchValue.String(AuditResults.CapabilityDenied)])],
            GroupBy = [AuditFields.Subject],
            IsBuiltIn = true,
        },
        new AlertRule
        {
            Name = Unauthenticated,
            Description = "more than 10 requests without valid credentials in 24 h: a client with a stale token, or guessing",
            Severity = AlertSeverity.High,
            Window = s_day,
            WindowText = "24h",
            Threshold = 10,
            Match = [new FieldMatch(AuditFields.Event, [MatchValue.String(AuditEvents.AuthFailed)])],
            IsBuiltIn = true,
        },
        new AlertRule
        {
            Name = StrictDenied,
            Description = "strictClassification denied a call to an ambiguous or unknown tool: classify it with a tool_acl override",
            Severity = AlertSeverity.Medium,
            Window = s_day,
            WindowText = "24h",
            Threshold = 0,
            Match =
            [
                new FieldMatch(AuditFields.Decision, [MatchValue.String("deny")]),
                new FieldMatch(AuditFields.MatchedRule, [MatchValue.String("strict")]),
            ],
            GroupBy = [AuditFields.Server, AuditFields.Tool],
            IsBuiltIn = true,
        },
    ];
}
