namespace McpGate.Testing;

/// <summary>Which protocol era a <see cref="TestUpstream"/> serves, as the SDK's session mode decides it.</summary>
public enum UpstreamEra
{
    /// <summary>
    /// 2025-11-25 and earlier: <c>initialize</c>, <c>Mcp-Session-Id</c>, the GET stream, sampling and elicitation.
    /// A 2026-07-28 client is refused with -32022 and falls back to <c>initialize</c>.
    /// </summary>
    Stateful2025,

    /// <summary>The 2026-07-28 path: <c>server/discover</c>, no sessions, no GET stream, no server-to-client requests.</summary>
    Stateless2026,

    /// <summary>Sessions for <c>initialize</c> clients, stateless service for 2026-07-28 clients, on one endpoint.</summary>
    Both,
}
