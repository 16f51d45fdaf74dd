using McpGate.Configuration;
using McpGate.Mcp.Discovery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// Discovers a stdio upstream's tools outside a running gate (<c>mcp acl check/classify/snapshot</c>): the child is
/// started through the gate's own bridge, so the launch rules (minimal environment plus <c>env</c>, <c>cwd</c>,
/// <c>stdio.startTimeout</c>) and the strict parsing of its output are the gate's, not a copy. Disposing ends the child.
/// </summary>
public sealed class StdioDiscovery : IAsyncDisposable
{
    private readonly StdioUpstreams _upstreams;
    private readonly HttpMessageHandler _handler;

    /// <param name="upstream">A <c>command</c> upstream.</param>
    /// <param name="loggerFactory">Where the child's stderr and lifecycle lines go; null logs nothing.</param>
    public StdioDiscovery(UpstreamConfig upstream, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (upstream.Command is null)
        {
            throw new ArgumentException($"Upstream '{upstream.Alias}' is not a stdio (command) upstream.", nameof(upstream));
        }

        Upstream = upstream;
        _upstreams = new StdioUpstreams(
            alias => alias == upstream.Alias ? upstream : null,
            TimeProvider.System,
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<StdioUpstreams>());
        _handler = _upstreams.CreateHandler();
        Client = new ToolDiscoveryClient(_handler, loggerFactory);
    }

    public UpstreamConfig Upstream { get; }

    /// <summary>A discovery client whose requests reach the child; use it with <see cref="Address"/>.</summary>
    public ToolDiscoveryClient Client { get; }

    /// <summary>The in-process address of the upstream (it names no host on any network).</summary>
    public Uri Address => StdioAddresses.For(Upstream.Alias);

    public async ValueTask DisposeAsync()
    {
        _handler.Dispose();
        await _upstreams.DisposeAsync();
    }
}
