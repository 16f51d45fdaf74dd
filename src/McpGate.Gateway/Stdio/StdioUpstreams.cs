using System.Collections.Concurrent;
using McpGate.Configuration;
using McpGate.Gateway.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// Every stdio upstream of the policy in force, by alias, created on first use. A reload that removes an upstream or
/// changes how it is started retires it (its children end once their calls in flight have); one that only changes the
/// ACL keeps the children running. Stops every child when the gate stops, and reaps idle sessions on the
/// <see cref="TimeProvider"/>.
/// </summary>
internal sealed class StdioUpstreams : IHostedLifecycleService, IAsyncDisposable
{
    private static readonly TimeSpan s_reapPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, StdioUpstream> _upstreams = new(StringComparer.Ordinal);

    // Upstreams a reload retired whose children have not all ended yet: the gate's stop ends them too.
    private readonly ConcurrentDictionary<StdioUpstream, byte> _retiring = new();
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
                    _ = RetireAsync(existing);
                    return replacement;
                }
            }
            else if (_upstreams.TryAdd(alias, new StdioUpstream(config, _time, _logger, _metrics)))
            {
                return _upstreams[alias];
            }
        }
    }

    /// <summary>
    /// After a reload: each upstream whose server the policy no longer has, or now starts another way, is retired, so
    /// its children do not outlive it waiting for a request that never comes (<see cref="Find"/> replaces one only when
    /// asked for its alias). One whose launch settings are unchanged takes the new entry and keeps its children.
    /// </summary>
    public void Reconcile()
    {
        foreach (var (alias, upstream) in _upstreams)
        {
            if (_lookup(alias) is { Command: not null } config && upstream.SameLaunch(config))
            {
                upstream.Config = config;
            }
            else if (_upstreams.TryRemove(new KeyValuePair<string, StdioUpstream>(alias, upstream)))
            {
                _ = RetireAsync(upstream);
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
        await Task.WhenAll(_upstreams.Values.Concat(_retiring.Keys).Select(upstream => upstream.StopAsync(StdioReasons.GateStopping)));
    }

    public async ValueTask DisposeAsync() => await StoppedAsync(CancellationToken.None);

    private async Task RetireAsync(StdioUpstream upstream)
    {
        _retiring.TryAdd(upstream, 0);
        try
        {
            await upstream.RetireAsync();
        }
        finally
        {
            _retiring.TryRemove(upstream, out _);
        }
    }

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
