using ModelContextProtocol.Protocol;

namespace McpGate.Mcp.Discovery;

/// <summary>What live discovery saw of one upstream, as the protocol describes it (for <c>mcp acl snapshot</c>).</summary>
/// <param name="Server">The upstream's alias in the config.</param>
/// <param name="Tools">Every tool, across all <c>tools/list</c> pages, in the upstream's order.</param>
/// <param name="Prompts">Every prompt; empty when the upstream has no prompts capability.</param>
/// <param name="Resources">Every resource; empty when the upstream has no resources capability.</param>
/// <param name="ResourceTemplates">Every resource template; empty when the upstream has no resources capability.</param>
/// <param name="NegotiatedProtocolVersion">The protocol version both sides agreed on.</param>
/// <param name="ServerName">The upstream's <c>serverInfo.name</c>, if it sent one.</param>
public sealed record DiscoveredSurface(
    string Server,
    IReadOnlyList<Tool> Tools,
    IReadOnlyList<Prompt> Prompts,
    IReadOnlyList<Resource> Resources,
    IReadOnlyList<ResourceTemplate> ResourceTemplates,
    string? NegotiatedProtocolVersion,
    string? ServerName);
