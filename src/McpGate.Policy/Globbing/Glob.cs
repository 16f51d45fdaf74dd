namespace McpGate.Policy.Globbing;

/// <summary>
/// A policy glob (docs/acl.md, "Globs"): <c>*</c> is the only wildcard and matches any run of characters,
/// including none. Case-sensitive, anchored at both ends, no escaping. Compiled once at load time.
/// </summary>
public sealed class Glob
{
    // The literal pieces between stars; for "a*b*c" that is ["a", "b", "c"].
    private readonly string[] _segments;
    private readonly bool _startsWithStar;
    private readonly bool _endsWithStar;
    private readonly int _minimumLength;

    public Glob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        Pattern = pattern;
        IsExact = !pattern.Contains('*', StringComparison.Ordinal);
        _segments = pattern.Split('*');
        _startsWithStar = pattern.StartsWith('*');
        _endsWithStar = pattern.EndsWith('*');
        foreach (var segment in _segments)
        {
            _minimumLength += segment.Length;
        }
    }

    public string Pattern { get; }

    /// <summary>True when the pattern has no <c>*</c>: it matches only itself.</summary>
    public bool IsExact { get; }

    /// <summary>True for <c>*</c> (or <c>**</c>…): matches every string.</summary>
    public bool MatchesEverything => _minimumLength == 0 && !IsExact;

    public bool IsMatch(ReadOnlySpan<char> value)
    {
        if (IsExact)
        {
            return value.SequenceEqual(Pattern);
        }

        if (value.Length < _minimumLength)
        {
            return false;
        }

        var first = _segments[0];
        var last = _segments[^1];
        if (!value.StartsWith(first, StringComparison.Ordinal) || !value.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        // Greedy left-to-right is exact for a single wildcard kind: taking the earliest match of each
        // middle segment leaves the most room for the rest.
        var remaining = value[first.Length..(value.Length - last.Length)];
        for (var i = 1; i < _segments.Length - 1; i++)
        {
            var segment = _segments[i];
            if (segment.Length == 0)
            {
                continue;
            }

            var at = remaining.IndexOf(segment, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            remaining = remaining[(at + segment.Length)..];
        }

        return true;
    }

    public override string ToString() => Pattern;
}
