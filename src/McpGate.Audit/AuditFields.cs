namespace McpGate.Audit;

/// <summary>
/// The audit line's field names (docs/audit.md, "The line") in the order every line writes them. The order is part of
/// the contract: people read these lines with <c>grep</c> and diff them, so it never depends on which fields have
/// values.
/// </summary>
public static class AuditFields
{
    public const string Ts = "ts";
    public const string Event = "event";
    public const string DecisionId = "decision_id";
    public const string TraceId = "trace_id";
    public const string JsonRpcId = "jsonrpc_id";
    public const string Subject = "subject";
    public const string Roles = "roles";
    public const string Auth = "auth";
    public const string Server = "server";
    public const string Method = "method";
    public const string Tool = "tool";
    public const string Resource = "resource";
    public const string Prompt = "prompt";
    public const string Decision = "decision";
    public const string Result = "result";
    public const string MatchedRule = "matched_rule";
    public const string AccessKind = "access_kind";
    public const string GrantAccess = "grant_access";
    public const string ClassificationKind = "classification_kind";
    public const string ClassificationSource = "classification_source";
    public const string ClassificationConfidence = "classification_confidence";
    public const string DurationMs = "duration_ms";
    public const string UpstreamStatus = "upstream_status";
    public const string ArgKeys = "arg_keys";
    public const string Hidden = "hidden";
    public const string RateLimitRule = "rate_limit_rule";

    /// <summary>Added after <see cref="Hidden"/> (issue 18): new fields go last so the existing order never changes.</summary>
    public const string CredentialRoles = "credential_roles";

    /// <summary>Added by issue 16 (OAuth): the token's <c>iss</c>, for callers authenticated by <c>oauth</c>.</summary>
    public const string Issuer = "issuer";

    /// <summary>Issue 16: the OAuth client the token was issued to (<c>azp</c>, else <c>client_id</c>).</summary>
    public const string ClientId = "client_id";

    /// <summary>Issue 16: for <c>auth.failed</c>, why the presented credential was refused (<c>expired</c>, <c>audience</c>, …).</summary>
    public const string AuthError = "auth_error";

    /// <summary>Issue 19: the replica that wrote the line.</summary>
    public const string GateInstance = "gate_instance";

    /// <summary>Every field, in line order.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Ts, Event, DecisionId, TraceId, JsonRpcId, Subject, Roles, Auth, Server, Method, Tool, Resource, Prompt,
        Decision, Result, MatchedRule, AccessKind, GrantAccess, ClassificationKind, ClassificationSource,
        ClassificationConfidence, DurationMs, UpstreamStatus, ArgKeys, Hidden, CredentialRoles,
        RateLimitRule, Issuer, ClientId, AuthError, GateInstance,
    ];

    public static bool IsKnown(string name)
    {
        foreach (var field in All)
        {
            if (string.Equals(field, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
