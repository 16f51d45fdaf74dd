using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace McpGate.Testing;

/// <summary>
/// A real MCP server with sessions, built with the official TypeScript SDK (a <c>StreamableHTTPServerTransport</c>
/// with a <c>sessionIdGenerator</c> per session, one Express app), run as a node process on loopback:
/// tests/clients/typescript/stateful-upstream.mjs. <see cref="TypeScriptUpstream"/> is its stateless sibling.
/// </summary>
public sealed class StatefulTypeScriptUpstream : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private StatefulTypeScriptUpstream(Process process, int port)
    {
        _process = process;
        McpUrl = new Uri($"http://127.0.0.1:{port}/mcp");
    }

    public Uri McpUrl { get; }

    public static async Task<StatefulTypeScriptUpstream> StartAsync()
    {
        await NodePeers.EnsureInstalledAsync();
        var port = UnusedLoopback.Port();
        var script = Path.Combine(NodePeers.TypeScriptDirectory, "stateful-upstream.mjs");
        var process = await ServiceProcess.StartAsync("node", [script, port.ToString(CultureInfo.InvariantCulture)], port, logPath: null);
        return new StatefulTypeScriptUpstream(process, port);
    }

    /// <summary>The tools that ran since the last call, in order, each with the upstream session it ran in.</summary>
    public async Task<IReadOnlyList<Ran>> TakeRanAsync() =>
        await _http.GetFromJsonAsync<List<Ran>>(new Uri(McpUrl, "/__log")) ?? [];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await ServiceProcess.StopAsync(_process);
    }

    /// <summary>One tool call the upstream ran, in the SDK session <paramref name="Session"/>.</summary>
    public sealed record Ran([property: JsonPropertyName("session")] string Session, [property: JsonPropertyName("tool")] string Tool);
}
