namespace McpGate.Gateway.Telemetry;

/// <summary>
/// The names operators build dashboards on (docs/observability.md): OpenTelemetry's MCP semantic conventions where
/// they have one, <c>mcpgate.*</c> for the gate's own. Changing one breaks someone's dashboard.
/// </summary>
internal static class GateTelemetryNames
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string Source = "McpGate";

    // Instruments.
    public const string OperationDuration = "mcp.server.operation.duration";
    public const string UpstreamDuration = "mcpgate.upstream.duration";
    public const string GateDuration = "mcpgate.gate.duration";
    public const string Decisions = "mcpgate.decisions";
    public const string ListItemsHidden = "mcpgate.list.items.hidden";
    public const string AuditWriteFailures = "mcpgate.audit.write_failures";
    public const string AuditQueueDepth = "mcpgate.audit.queue.depth";
    public const string UpstreamAvailable = "mcpgate.upstream.available";
    public const string ConfigReloads = "mcpgate.config.reloads";
    public const string HttpRequestDuration = "mcpgate.http.request.duration";
    public const string StdioProcesses = "mcpgate.stdio.processes";
    public const string StdioSessions = "mcpgate.stdio.sessions";
    public const string StdioStarts = "mcpgate.stdio.process.starts";
    public const string StdioExits = "mcpgate.stdio.process.exits";
    public const string StdioRefusals = "mcpgate.stdio.max_processes.refusals";

    // Semantic-convention attributes.
    public const string MethodName = "mcp.method.name";
    public const string ToolName = "gen_ai.tool.name";
    public const string PromptName = "gen_ai.prompt.name";
    public const string ResourceUri = "mcp.resource.uri";
    public const string OperationName = "gen_ai.operation.name";
    public const string ProtocolVersion = "mcp.protocol.version";
    public const string SessionId = "mcp.session.id";
    public const string RequestId = "jsonrpc.request.id";
    public const string ErrorType = "error.type";
    public const string NetworkTransport = "network.transport";
    public const string NetworkProtocolName = "network.protocol.name";
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpResponseStatusCode = "http.response.status_code";

    // The gate's own attributes.
    public const string Server = "mcpgate.server";
    public const string Decision = "mcpgate.decision";
    public const string Result = "mcpgate.result";
    public const string Access = "mcpgate.access";
    public const string MatchedRule = "mcpgate.matched_rule";
    public const string DecisionId = "mcpgate.decision_id";
    public const string StdioReason = "mcpgate.stdio.reason";

    /// <summary>Semantic conventions' value for a method name outside the known set (a caller picks the method).</summary>
    public const string Other = "_OTHER";
}
