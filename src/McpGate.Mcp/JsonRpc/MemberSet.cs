using System.Text.Json;

namespace McpGate.Mcp.JsonRpc;

/// <summary>
/// The member names seen so far in one JSON object, compared after unescaping, to refuse duplicates.
/// Names from a small known table are bits (no allocation); other names are kept as strings, indexed by a hash set
/// once there are enough of them that a linear scan would let a body with many members cost quadratic time.
/// </summary>
internal struct MemberSet
{
    private const int LinearScanLimit = 32;

    private ulong _known;
    private List<string>? _others;
    private HashSet<string>? _index;

    /// <summary>The names that were not in the known table, in document order.</summary>
    public readonly List<string>? Others => _others;

    public readonly bool Has(int known) => (_known & (1UL << known)) != 0;

    /// <summary>
    /// Records the property name at the reader: <paramref name="known"/> is its index in the caller's table, or -1.
    /// False when the name was already seen.
    /// </summary>
    public bool TryAdd(ref Utf8JsonReader reader, int known)
    {
        if (known >= 0)
        {
            var bit = 1UL << known;
            if ((_known & bit) != 0)
            {
                return false;
            }

            _known |= bit;
            return true;
        }

        return TryAddOther(RepeatedNames.Get(ref reader));
    }

    public bool TryAddOther(string name)
    {
        _others ??= [];
        if (_index is not null)
        {
            if (!_index.Add(name))
            {
                return false;
            }
        }
        else if (_others.Count < LinearScanLimit)
        {
            foreach (var other in _others)
            {
                if (string.Equals(other, name, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }
        else
        {
            _index = new HashSet<string>(_others, StringComparer.Ordinal);
            if (!_index.Add(name))
            {
                return false;
            }
        }

        _others.Add(name);
        return true;
    }
}
