using System.Text.Json;

namespace McpGate.Mcp.JsonRpc;

/// <summary>
/// One shared string per short name the inspector reads again and again: tool names and argument keys arrive in every
/// call, and a new string for each was most of what inspecting a <c>tools/call</c> allocated.
/// </summary>
/// <remarks>
/// A direct-mapped table, not a dictionary: a name that hashes to a taken slot replaces its occupant, so a body full of
/// made-up names costs one small allocation more per name and can neither grow the table nor slow a lookup down.
/// Only unescaped names are looked up; their bytes (valid UTF-8, checked before parsing) decode to exactly one string.
/// </remarks>
internal static class RepeatedNames
{
    private const int MaxNameBytes = 64;
    private const int SlotCount = 1024;

    private static readonly Entry?[] s_slots = new Entry?[SlotCount];

    /// <summary>The string value (or property name) at the reader, as <see cref="Utf8JsonReader.GetString"/> gives it.</summary>
    public static string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxNameBytes)
        {
            return reader.GetString()!;
        }

        var utf8 = reader.ValueSpan;
        var hash = new HashCode();
        hash.AddBytes(utf8);
        ref var slot = ref s_slots[hash.ToHashCode() & (SlotCount - 1)];
        if (Volatile.Read(ref slot) is { } entry && utf8.SequenceEqual(entry.Utf8))
        {
            return entry.Value;
        }

        var value = reader.GetString()!;
        Volatile.Write(ref slot, new Entry(utf8.ToArray(), value));
        return value;
    }

    private sealed class Entry(byte[] utf8, string value)
    {
        public byte[] Utf8 { get; } = utf8;

        public string Value { get; } = value;
    }
}
