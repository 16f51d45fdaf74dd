using System.Collections.Concurrent;

namespace McpGate.Gateway.Sessions;

/// <summary>
/// Binds each upstream <c>Mcp-Session-Id</c> to the subject that initialized it through the gate (docs/gateway.md,
/// "What the gate does to each request"; MCP security best practices, "session hijacking"). A session id the gate did
/// not see created, or one presented by another subject, is refused with 404 so the client starts over with
/// <c>initialize</c>.
/// </summary>
internal sealed class SessionRegistry(TimeProvider timeProvider)
{
    // Bounded so that a client opening sessions in a loop cannot grow the gate without limit.
    internal const int Capacity = 100_000;
    private static readonly TimeSpan s_idleLifetime = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<(string Server, string SessionId), Binding> _bindings = new();

    public int Count => _bindings.Count;

    public void Bind(string server, string sessionId, string? subject)
    {
        if (_bindings.Count >= Capacity)
        {
            EvictIdle();
        }

        _bindings[(server, sessionId)] = new Binding(subject, timeProvider.GetUtcNow());
    }

    /// <summary>True when <paramref name="sessionId"/> was created through the gate by <paramref name="subject"/>.</summary>
    public bool IsBoundTo(string server, string sessionId, string? subject)
    {
        if (!_bindings.TryGetValue((server, sessionId), out var binding) || !string.Equals(binding.Subject, subject, StringComparison.Ordinal))
        {
            return false;
        }

        binding.LastUsed = timeProvider.GetUtcNow();
        return true;
    }

    public void Remove(string server, string sessionId) => _bindings.TryRemove((server, sessionId), out _);

    private void EvictIdle()
    {
        var cutoff = timeProvider.GetUtcNow() - s_idleLifetime;
        foreach (var entry in _bindings)
        {
            if (entry.Value.LastUsed < cutoff)
            {
                _bindings.TryRemove(entry.Key, out _);
            }
        }

        // Still full of live sessions: drop an arbitrary half rather than refuse new clients; those clients re-initialize.
        if (_bindings.Count >= Capacity)
        {
            var toDrop = _bindings.Count / 2;
            foreach (var key in _bindings.Keys)
            {
                if (toDrop-- <= 0)
                {
                    break;
                }

                _bindings.TryRemove(key, out _);
            }
        }
    }

    private sealed class Binding(string? subject, DateTimeOffset created)
    {
        public string? Subject { get; } = subject;

        public DateTimeOffset LastUsed { get; set; } = created;
    }
}
