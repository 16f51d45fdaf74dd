namespace McpGate.Mcp.JsonRpc;

/// <summary>HTTP header names of the Streamable HTTP transport. HTTP header names are case-insensitive.</summary>
public static class McpHeaders
{
    public const string SessionId = "Mcp-Session-Id";
    public const string ProtocolVersion = "MCP-Protocol-Version";

    /// <summary>2026-07-28: mirrors the body's <c>method</c>.</summary>
    public const string Method = "Mcp-Method";

    /// <summary>2026-07-28: mirrors the body's <c>params.name</c> (or <c>params.uri</c>).</summary>
    public const string Name = "Mcp-Name";

    public const string LastEventId = "Last-Event-ID";
}
