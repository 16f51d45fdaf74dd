using System.Collections.Concurrent;
using McpGate.Gateway.Stdio;
using McpGate.Mcp.Discovery;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Catalog;

/// <summary>
/// The tool definitions the gate has seen per upstream (docs/gateway.md, "The tool catalog"): from the
/// <c>tools/list</c> responses it proxies, and from its own discovery when a <c>tools/call</c> names a tool it has not
/// seen yet. Classification is done on read with the policy version in force, so a reload that changes <c>tool_acl</c>
/// applies at once.
/// </summary>
internal sealed class ToolCatalog(ToolDiscoveryClient discovery, StdioUpstreams stdio, UpstreamHealth health, TimeProvider timeProvider, ILogger<ToolCatalog> logger)
{
    // A stdio upstream is discovered as any other, through the bridge YARP forwards to.
    private readonly ToolDiscoveryClient _stdioDiscovery = new(stdio.CreateHandler());

    // A hostile upstream may list any number of tools; the catalog keeps a bounded number per upstream.
    internal const int MaxToolsPerServer = 10_000;

    // An unknown tool name must not let a caller make the gate hammer an upstream with discoveries.
    private static readonly TimeSpan s_minimumRefreshInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, ServerTools> _servers = new(StringComparer.Ordinal);

    public bool TryGet(string server, string tool, out ToolDescriptor descriptor)
    {
        descriptor = null!;
        return _servers.TryGetValue(server, out var tools) && tools.Tools.TryGetValue(tool, out descriptor!);
    }

    public int Count(string server) => _servers.TryGetValue(server, out var tools) ? tools.Tools.Count : 0;

    /// <summary>The tools of <paramref name="server"/>'s lists remembered by their JSON, for the list filter.</summary>
    public ToolDescriptorMemo DescriptorMemo(string server) => _servers.GetOrAdd(server, static _ => new ServerTools()).Descriptors;

    /// <summary>Records tools seen in a proxied <c>tools/list</c> page.</summary>
    public void Observe(string server, IReadOnlyList<ToolDescriptor> tools)
    {
        var entry = _servers.GetOrAdd(server, static _ => new ServerTools());

        // ConcurrentDictionary.Count takes every bucket lock: read it at most once per page, and only for a page that
        // brings a tool the catalog does not hold (a repeated list, the common case, never reads it).
        int? room = null;
        foreach (var tool in tools)
        {
            if (entry.Tools.TryGetValue(tool.Name, out var known))
            {
                // Most lists repeat what the catalog holds; rewriting equal entries only churns memory.
                if (!SameDefinition(known, tool))
                {
                    entry.Tools[tool.Name] = tool;
                }

                continue;
            }

            room ??= MaxToolsPerServer - entry.Tools.Count;
            if (room > 0)
            {
                room--;
                entry.Tools[tool.Name] = tool;
            }
        }
    }

    private static bool SameDefinition(ToolDescriptor a, ToolDescriptor b)
    {
        if (!string.Equals(a.Description, b.Description, StringComparison.Ordinal)
            || a.ReadOnlyHint != b.ReadOnlyHint
            || a.DestructiveHint != b.DestructiveHint
            || a.InputPropertyNames.Count != b.InputPropertyNames.Count)
        {
            return false;
        }

        for (var i = 0; i < a.InputPropertyNames.Count; i++)
        {
            if (!string.Equals(a.InputPropertyNames[i], b.InputPropertyNames[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The upstream said its tools changed: until a discovery that began after this has ended, lookups wait for it
    /// rather than answer with definitions from before the change.
    /// </summary>
    public void MarkStale(string server)
    {
        var entry = _servers.GetOrAdd(server, static _ => new ServerTools());
        lock (entry)
        {
            entry.Changes++;
            entry.LastRefresh = DateTimeOffset.MinValue;
        }
    }

    /// <summary>
    /// Looks a tool up, discovering the upstream's tools once if it is unknown. Concurrent callers share one discovery.
    /// Returns null when the tool is still unknown after that refresh (decided as an unknown tool, docs/acl.md, "How a
    /// request is decided").
    /// </summary>
    public async ValueTask<ToolDescriptor?> ResolveAsync(UpstreamConfig upstream, string tool, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A tool redefined (say, from read-only to destructive) must not be decided on its old definition.
        if (_servers.TryGetValue(upstream.Alias, out var entry) && Volatile.Read(ref entry.Changes) != Volatile.Read(ref entry.DiscoveredChanges))
        {
            await RefreshAsync(upstream, timeout, force: true, cancellationToken);
        }

        if (TryGet(upstream.Alias, tool, out var known))
        {
            return known;
        }

        await RefreshAsync(upstream, timeout, force: false, cancellationToken);
        return TryGet(upstream.Alias, tool, out known) ? known : null;
    }

    public Task RefreshAsync(UpstreamConfig upstream, TimeSpan timeout, bool force, CancellationToken cancellationToken)
    {
        var entry = _servers.GetOrAdd(upstream.Alias, static _ => new ServerTools());
        lock (entry)
        {
            // Running, not InFlight.IsCompleted: the discovery decides under this lock whether it is done.
            if (entry.Running)
            {
                return entry.InFlight!.WaitAsync(cancellationToken);
            }

            if (!force && timeProvider.GetUtcNow() - entry.LastRefresh < s_minimumRefreshInterval)
            {
                return Task.CompletedTask;
            }

            entry.LastRefresh = timeProvider.GetUtcNow();
            entry.Running = true;
            // The discovery is not tied to the first caller's token: others may be waiting on it.
            entry.InFlight = DiscoverAsync(entry, upstream, timeout);
            return entry.InFlight.WaitAsync(cancellationToken);
        }
    }

    private async Task DiscoverAsync(ServerTools entry, UpstreamConfig upstream, TimeSpan timeout)
    {
        long changes;
        lock (entry)
        {
            changes = entry.Changes;
        }

        while (true)
        {
            try
            {
                var catalog = upstream.Url is { } url
                    ? await discovery.DiscoverAsync(upstream.Alias, url, upstream.Headers, timeout, CancellationToken.None)
                    : await _stdioDiscovery.DiscoverAsync(upstream.Alias, StdioAddresses.For(upstream.Alias), upstream.Headers, timeout, CancellationToken.None);
                Observe(upstream.Alias, catalog.Tools);
                health.RecordSuccess(upstream.Alias, Count(upstream.Alias));
                logger.CatalogRefreshed(upstream.Alias, catalog.Tools.Count);
            }
            catch (DiscoveryException ex)
            {
                health.RecordFailure(upstream.Alias, ex.Message);
                logger.DiscoveryFailed(upstream.Alias, ex.Message);
            }

            lock (entry)
            {
                // Even after a failure: lookups then fall back to what is known instead of waiting on an upstream that is down.
                entry.DiscoveredChanges = changes;
                if (entry.Changes == changes)
                {
                    entry.Running = false;
                    return;
                }

                // The upstream changed its tools while this discovery ran, which may have missed it: go again.
                changes = entry.Changes;
                entry.LastRefresh = timeProvider.GetUtcNow();
            }
        }
    }

    private sealed class ServerTools
    {
        public ConcurrentDictionary<string, ToolDescriptor> Tools { get; } = new(StringComparer.Ordinal);

        public ToolDescriptorMemo Descriptors { get; } = new();

        // How many list_changed notifications were seen, and how many of them a finished discovery began after.
        public long Changes;
        public long DiscoveredChanges;

        public DateTimeOffset LastRefresh { get; set; } = DateTimeOffset.MinValue;

        public Task? InFlight { get; set; }

        public bool Running { get; set; }
    }
}
