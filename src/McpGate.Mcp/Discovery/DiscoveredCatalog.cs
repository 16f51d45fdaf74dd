using McpGate.Policy.Classification;

namespace McpGate.Mcp.Discovery;

/// <summary>What live discovery learned about one upstream.</summary>
/// <param name="Server">The upstream's alias in the config.</param>
/// <param name="Tools">Every tool, across all <c>tools/list</c> pages, in the upstream's order.</param>
/// <param name="NegotiatedProtocolVersion">The protocol version both sides agreed on (e.g. <c>2025-11-25</c>).</param>
/// <param name="ServerName">The upstream's <c>serverInfo.name</c>, if it sent one.</param>
public sealed record DiscoveredCatalog(
    string Server,
    IReadOnlyList<ToolDescriptor> Tools,
    string? NegotiatedProtocolVersion,
    string? ServerName);
