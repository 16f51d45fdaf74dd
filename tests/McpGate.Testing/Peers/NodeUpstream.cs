using System.Net.Http.Json;

namespace McpGate.Testing;

/// <summary>
/// An MCP server of tests/clients/typescript run as a node process on loopback (<see cref="TypeScriptUpstream"/>,
/// <see cref="StatefulTypeScriptUpstream"/>): its URL, what it ran (its <c>GET /__log</c>), killed on dispose.
/// </summary>
/// <typeparam name="TRan">One entry of its log.</typeparam>
public abstract class NodeUpstream<TRan> : IAsyncDisposable
{
    private readonly ServiceProcess _node;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <param name="started">What <see cref="NodePeers.StartTypeScriptAsync"/> returned.</param>
    private protected NodeUpstream((ServiceProcess Node, string Address) started)
    {
        _node = started.Node;
        McpUrl = new Uri(started.Address);
    }

    public Uri McpUrl { get; }

    /// <summary>What ran since the last call, in order (reading the log clears it).</summary>
    public async Task<IReadOnlyList<TRan>> TakeRanAsync() =>
        await _http.GetFromJsonAsync<List<TRan>>(new Uri(McpUrl, "/__log")) ?? [];

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
