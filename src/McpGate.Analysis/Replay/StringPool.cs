using System.Buffers;
using System.Text;

namespace McpGate.Analysis.Replay;

/// <summary>
/// Interns the few distinct subjects, servers, tools and rule names of an audit log, so replaying a million rows
/// allocates a string per distinct value, not per row. Bounded: when full it starts over, so a log of endless
/// distinct values (resource URIs) keeps memory flat instead of growing with the log.
/// </summary>
internal sealed class StringPool
{
    private const int StackLimit = 256;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;

    public StringPool(int capacity = 50_000)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The interned string of unescaped UTF-8 <paramref name="utf8"/>.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        char[]? rented = null;
        var chars = utf8.Length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, chars);
            return Get(chars[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    public string Get(ReadOnlySpan<char> chars)
    {
        if (_lookup.TryGetValue(chars, out var existing))
        {
            return existing;
        }

        if (_strings.Count >= _capacity)
        {
            _strings.Clear();
        }

        var value = chars.ToString();
        _strings.Add(value, value);
        return value;
    }
}
