using System.Collections.Concurrent;
using System.Threading.Channels;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// One MCP session the bridge created for a caller: where the child's messages for it go (its GET stream), which
/// resources it subscribed to, and which of its request ids are in flight on the child (for
/// <c>notifications/cancelled</c>). In <c>per-session</c> mode it also owns its child.
/// </summary>
internal sealed class StdioSession(string id, StdioChild? ownChild, long now)
{
    // A caller that never reads its stream must not grow the gate: past this, its oldest messages are dropped.
    private const int ListenCapacity = 1024;

    // By JSON-RPC identity, not spelling: a cancellation may name "a\u0062" a call sent as "ab" (or 7 as 7.0), and the
    // gate reads ids one way everywhere (JsonRpcId's equality, as the HTTP path matches answers).
    private readonly ConcurrentDictionary<JsonRpcId, long> _inFlight = new();
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private Channel<byte[]>? _listen;
    private long _lastUsed = now;

    public string Id { get; } = id;

    /// <summary>The session's own child in <c>per-session</c> mode; null when it shares the upstream's.</summary>
    public StdioChild? OwnChild { get; } = ownChild;

    public long LastUsed => Volatile.Read(ref _lastUsed);

    /// <summary>True while the session has a GET stream open.</summary>
    public bool IsListening => Volatile.Read(ref _listen) is not null;

    public void Touch(long now) => Volatile.Write(ref _lastUsed, now);

    /// <summary>Opens the session's GET stream; one at a time, a new one ends the one before.</summary>
    public ChannelReader<byte[]> Listen()
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(ListenCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        Interlocked.Exchange(ref _listen, channel)?.Writer.TryComplete();
        return channel.Reader;
    }

    public void StopListening(ChannelReader<byte[]> reader)
    {
        var current = Volatile.Read(ref _listen);
        if (current is not null && ReferenceEquals(current.Reader, reader) && Interlocked.CompareExchange(ref _listen, null, current) == current)
        {
            current.Writer.TryComplete();
        }
    }

    /// <summary>Hands a message from the child to the session: on <paramref name="related"/> (the stream of the POST it
    /// concerns) if there is one, else on the GET stream. False when the session has nowhere to receive it.</summary>
    public bool Deliver(byte[] message, ChannelWriter<byte[]>? related = null)
    {
        if (related is not null && related.TryWrite(message))
        {
            return true;
        }

        return Volatile.Read(ref _listen)?.Writer.TryWrite(message) == true;
    }

    public void End() => Interlocked.Exchange(ref _listen, null)?.Writer.TryComplete();

    public void TrackCall(JsonRpcId originalId, long childId) => _inFlight[originalId] = childId;

    public void UntrackCall(JsonRpcId originalId) => _inFlight.TryRemove(originalId, out _);

    public bool TryGetChildId(JsonRpcId originalId, out long childId) => _inFlight.TryGetValue(originalId, out childId);

    public void Subscribe(string uri)
    {
        lock (_subscriptions)
        {
            _subscriptions.Add(uri);
        }
    }

    public void Unsubscribe(string uri)
    {
        lock (_subscriptions)
        {
            _subscriptions.Remove(uri);
        }
    }

    public bool IsSubscribed(string uri)
    {
        lock (_subscriptions)
        {
            return _subscriptions.Contains(uri);
        }
    }
}
