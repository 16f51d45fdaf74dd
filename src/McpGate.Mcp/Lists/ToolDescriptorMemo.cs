using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Lists;

/// <summary>
/// Tool descriptors remembered by the exact JSON of their list entry. Upstreams answer <c>tools/list</c> with the
/// same bytes again and again; a scan that finds an entry here skips building the name, description and property
/// name strings of the tool and takes the descriptor it built last time.
/// </summary>
/// <remarks>
/// A hit needs the bytes to be equal, not just their hash, so the descriptor always describes what the upstream sent
/// this time. The memory is bounded by <see cref="MaxBytes"/>: an upstream that keeps changing its tools fills it
/// and is then scanned the ordinary way, never turned away.
/// </remarks>
public sealed class ToolDescriptorMemo
{
    /// <summary>Room for the JSON of a few thousand ordinary tools.</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    private readonly ConcurrentDictionary<int, Entry> _entries = new();
    private long _bytes;

    public bool TryGet(ReadOnlySpan<byte> json, [NotNullWhen(true)] out ToolDescriptor? tool)
    {
        if (_entries.TryGetValue(Hash(json), out var entry) && json.SequenceEqual(entry.Json))
        {
            tool = entry.Tool;
            return true;
        }

        tool = null;
        return false;
    }

    public void Add(ReadOnlySpan<byte> json, ToolDescriptor tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        if (Interlocked.Add(ref _bytes, json.Length) > MaxBytes)
        {
            Interlocked.Add(ref _bytes, -json.Length);
            return;
        }

        // A different entry under the same hash (a changed tool, or a collision) is replaced; its bytes stay counted,
        // which only makes the budget err on the safe side.
        _entries[Hash(json)] = new Entry(json.ToArray(), tool);
    }

    private static int Hash(ReadOnlySpan<byte> json)
    {
        var hash = new HashCode();
        hash.AddBytes(json);
        return hash.ToHashCode();
    }

    private sealed record Entry(byte[] Json, ToolDescriptor Tool);
}
