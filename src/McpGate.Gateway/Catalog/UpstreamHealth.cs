using System.Collections.Concurrent;

namespace McpGate.Gateway.Catalog;

/// <summary>What <c>/readyz</c> reports per upstream: reachable, tools, last_checked, last_error (no secrets).</summary>
internal sealed class UpstreamHealth(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, UpstreamStatus> _statuses = new(StringComparer.Ordinal);

    public void RecordSuccess(string server, int tools) =>
        _statuses[server] = new UpstreamStatus(true, tools, timeProvider.GetUtcNow(), null);

    public void RecordFailure(string server, string error)
    {
        var tools = _statuses.TryGetValue(server, out var previous) ? previous.Tools : 0;
        _statuses[server] = new UpstreamStatus(false, tools, timeProvider.GetUtcNow(), error);
    }

    public UpstreamStatus? Get(string server) => _statuses.TryGetValue(server, out var status) ? status : null;

    /// <summary>Every upstream checked so far, with its last status (for the availability gauge).</summary>
    public IEnumerable<KeyValuePair<string, UpstreamStatus>> All => _statuses;
}

internal sealed record UpstreamStatus(bool Reachable, int Tools, DateTimeOffset LastChecked, string? LastError);
