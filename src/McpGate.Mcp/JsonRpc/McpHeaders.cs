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

    /// <summary>2026-07-28: <c>Mcp-Param-{Name}</c> mirrors a tool argument the tool's schema marks with <c>x-mcp-header</c>.</summary>
    public const string ParamPrefix = "Mcp-Param-";

    /// <summary>The first revision whose servers must check the mirrored headers against the body.</summary>
    public const string HeaderValidatingRevision = "2026-07-28";

    /// <summary>
    /// True when <paramref name="protocolVersion"/> (an <c>MCP-Protocol-Version</c> value) is a revision whose peers
    /// validate <c>Mcp-*</c> request headers against the body. Revisions are dates, so they compare as text; a
    /// missing or malformed value is an older revision.
    /// </summary>
    public static bool ValidatesMirroredHeaders(string? protocolVersion) =>
        protocolVersion is { Length: 10 } version
        && version[4] == '-' && version[7] == '-'
        && string.CompareOrdinal(version, HeaderValidatingRevision) >= 0;
}
