using McpGate.Policy.Evaluation;

namespace McpGate.Audit;

/// <summary>Audit <c>event</c> values (docs/audit.md, "Events").</summary>
public static class AuditEvents
{
    public const string ToolCalled = "mcp.tool_called";
    public const string ResourceRead = "mcp.resource_read";
    public const string PromptGet = "mcp.prompt_get";
    public const string ListFiltered = "mcp.list_filtered";
    public const string RequestRejected = "mcp.request_rejected";
    public const string AuthFailed = "auth.failed";
}

/// <summary>Audit <c>result</c> values (docs/audit.md, "Results").</summary>
public static class AuditResults
{
    public const string Ok = "ok";
    public const string ToolError = "tool_error";
    public const string UpstreamError = "upstream_error";
    public const string CapabilityDenied = "capability_denied";
    public const string UnknownSession = "unknown_session";
    public const string InvalidRequest = "invalid_request";
    public const string BatchRefused = "batch_refused";
    public const string Unauthenticated = "unauthenticated";
    public const string RateLimited = "rate_limited";
}

/// <summary>
/// One audit line (docs/audit.md, "The line"). The decision fields come from the evaluator's <see cref="Decision"/>
/// unchanged; nothing here is re-evaluated. Holds no token, header value, argument value or upstream error text by
/// design: there is no field to put them in.
/// </summary>
public sealed class AuditRecord
{
    public required DateTimeOffset Timestamp { get; init; }

    public required string Event { get; init; }

    public string? DecisionId { get; init; }

    public string? TraceId { get; init; }

    public string? JsonRpcId { get; init; }

    public string? Subject { get; init; }

    public IReadOnlyList<string>? Roles { get; init; }

    public string? Auth { get; init; }

    public string? Server { get; init; }

    public string? Method { get; init; }

    public string? Tool { get; init; }

    public string? Resource { get; init; }

    public string? Prompt { get; init; }

    /// <summary>The decision, when one was made (null for rejections before any decision, e.g. auth failures).</summary>
    public Decision? Decision { get; init; }

    public required string Result { get; init; }

    public double DurationMs { get; init; }

    public int? UpstreamStatus { get; init; }

    public IReadOnlyList<string>? ArgKeys { get; init; }

    public IReadOnlyList<string>? Hidden { get; init; }

    /// <summary>
    /// The roles the credential itself carried (token roles, forwarded groups), before the subject's configured roles
    /// are merged in: what <c>mcp acl replay</c> needs to re-decide under a config that changes the subject's roles.
    /// </summary>
    public IReadOnlyList<string>? CredentialRoles { get; init; }

    /// <summary>For <c>rate_limited</c>: the <c>gateway.rateLimits</c> rule whose bucket was empty.</summary>
    public string? RateLimitRule { get; init; }

    /// <summary>For a caller authenticated by <c>oauth</c>: the token's issuer. Never the token itself.</summary>
    public string? Issuer { get; init; }

    /// <summary>For a caller authenticated by <c>oauth</c>: the client the token was issued to.</summary>
    public string? ClientId { get; init; }

    /// <summary>For <c>auth.failed</c>: the reason code of the refused credential (docs/oauth.md, "Failure reasons").</summary>
    public string? AuthError { get; init; }

    /// <summary>The replica that wrote the line (<c>MCPGATE_INSTANCE</c>, else host name and process id), so several
    /// replicas' files read as one log still say where each call went.</summary>
    public string? GateInstance { get; init; }
}
