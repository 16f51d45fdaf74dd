using System.Text.Json.Serialization;

namespace McpGate.Testing;

/// <summary>
/// A real MCP server with sessions, built with the official TypeScript SDK (a <c>StreamableHTTPServerTransport</c>
/// with a <c>sessionIdGenerator</c> per session, one Express app), run as a node process on loopback:
/// tests/clients/typescript/stateful-upstream.mjs. <see cref="TypeScriptUpstream"/> is its stateless sibling. Each
/// entry of its log is a tool that ran, with the upstream session it ran in.
/// </summary>
public sealed class StatefulTypeScriptUpstream : NodeUpstream<StatefulTypeScriptUpstream.Ran>
{
    private StatefulTypeScriptUpstream((ServiceProcess Node, string Address) started)
        : base(started)
    {
    }

    public static async Task<StatefulTypeScriptUpstream> StartAsync() => new(await NodePeers.StartTypeScriptAsync("stateful-upstream.mjs"));

    /// <summary>One tool call the upstream ran, in the SDK session <paramref name="Session"/>.</summary>
    public sealed record Ran([property: JsonPropertyName("session")] string Session, [property: JsonPropertyName("tool")] string Tool);
}
