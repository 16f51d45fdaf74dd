using System.Collections.Frozen;

namespace McpGate.Policy.Classification;

/// <summary>
/// A fixed set of lower-case words with a weight each, looked up by a span in any case without
/// allocating (the span is lower-cased into a stack buffer, then compared ordinally).
/// </summary>
internal sealed class WordTable
{
    private readonly FrozenDictionary<string, (string Word, int Weight)>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _longestWord;

    public WordTable(IEnumerable<KeyValuePair<string, int>> words)
    {
        // The value repeats the key so a match can report the table's string, not a new one.
        var entries = new Dictionary<string, (string Word, int Weight)>(StringComparer.Ordinal);
        foreach (var (word, weight) in words)
        {
            entries.Add(word, (word, weight));
        }

        var table = entries.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = table.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var word in table.Keys)
        {
            _longestWord = Math.Max(_longestWord, word.Length);
        }
    }

    /// <summary>Finds <paramref name="candidate"/> lower-cased; <paramref name="word"/> is the table's own string.</summary>
    public bool TryMatch(ReadOnlySpan<char> candidate, out string word, out int weight)
    {
        // Longer than every word: cannot match, and keeps the stack buffer small and fixed.
        if (candidate.Length == 0 || candidate.Length > _longestWord)
        {
            word = string.Empty;
            weight = 0;
            return false;
        }

        Span<char> lower = stackalloc char[_longestWord];
        var written = candidate.ToLowerInvariant(lower);
        if (_lookup.TryGetValue(lower[..written], out var entry))
        {
            (word, weight) = entry;
            return true;
        }

        word = string.Empty;
        weight = 0;
        return false;
    }
}
