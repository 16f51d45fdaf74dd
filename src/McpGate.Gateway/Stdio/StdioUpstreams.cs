using System.Collections.Concurrent;
using McpGate.Configuration;
using McpGate.Gateway.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// Every stdio upstream of the policy in force, by alias, created on first use. A reload that changes how an upstream
/// is started replaces it (its children end); one that only changes the ACL keeps the children running. Stops every
/// child when the gate stops, and reaps idle sessions on the <see cref="TimeProvider"/>.
/// </summary>
internal sealed class StdioUpstreams : IHostedLifecycleService, IAsyncDisposable
{
    private static readonly TimeSpan s_reapPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, StdioUpstream> _upstreams = new(StringComparer.Ordinal);
    private readonly Func<string, UpstreamConfig?> _lookup;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StdioMetrics? _metrics;
    private readonly ITimer _reaper;
    private int _reaping;

    /// <param name="lookup">The upstream an alias names in the policy in force, or null.</param>
    /// <param name="metrics">The gate's stdio instruments; null outside the gate (the CLI's discovery).</param>
    public StdioUpstreams(Func<string, UpstreamConfig?> lookup, TimeProvider time, ILogger<StdioUpstreams> logger, StdioMetrics? metrics = null)
    {
        _lookup = lookup;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        metrics?.Observe(this);
        _reaper = time.CreateTimer(static state => ((StdioUpstreams)state!).Reap(), this, s_reapPeriod, s_reapPeriod);
    }

    /// <summary>A client-side handler for stdio upstreams (YARP's per cluster, the tool catalog's discovery). It holds no
    /// state of its own, so disposing it ends nothing.</summary>
    public HttpMessageHandler CreateHandler() => new StdioBridgeHandler(this);

    public StdioUpstream? Find(string alias)
    {
        if (_lookup(alias) is not { Command: not null } config)
        {
            return null;
        }

        while (true)
        {
            if (_upstreams.TryGetValue(alias, out var existing))
            {
                if (ReferenceEquals(existing.Config, config))
                {
                    return existing;
                }

                if (existing.SameLaunch(config))
                {
                    existing.Config = config;
                    return existing;
                }

                var replacement = new StdioUpstream(config, _time, _logger, _metrics);
                if (_upstreams.TryUpdate(alias, replacement, existing))
                {
                    _ = existing.StopAsync(StdioReasons.Reload);
                    return replacement;
                }
            }
            else if (_upstreams.TryAdd(alias, new StdioUpstream(config, _time, _logger, _metrics)))
            {
                return _upstreams[alias];
            }
        }
    }

    /// <summary>The upstream of <paramref name="alias"/> if it has been used, for <c>/readyz</c>.</summary>
    public StdioUpstream? Peek(string alias) => _upstreams.GetValueOrDefault(alias);

    /// <summary>Every upstream used so far, by alias, for the metrics.</summary>
    public IEnumerable<KeyValuePair<string, StdioUpstream>> Started => _upstreams;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The children end after every hosted service has stopped, the web server included: the calls in flight at
    /// shutdown are let finish first (docs/gateway.md), and they need their child to.
    /// </summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        await _reaper.DisposeAsync();
        await Task.WhenAll(_upstreams.Values.Select(upstream => upstream.StopAsync(StdioReasons.GateStopping)));
    }

    public async ValueTask DisposeAsync() => await StoppedAsync(CancellationToken.None);

    private void Reap()
    {
        if (Interlocked.Exchange(ref _reaping, 1) == 1)
        {
            return;
        }

        _ = ReapAsync();
    }

    private async Task ReapAsync()
    {
        try
        {
            foreach (var (_, upstream) in _upstreams)
            {
                await upstream.ReapIdleAsync();
            }
        }
        finally
        {
            Volatile.Write(ref _reaping, 0);
        }
    }
}
