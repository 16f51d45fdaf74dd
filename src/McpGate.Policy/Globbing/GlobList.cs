namespace McpGate.Policy.Globbing;

/// <summary>An ordered, immutable list of globs; matches when any glob matches.</summary>
public sealed class GlobList
{
    public static readonly GlobList Empty = new([]);

    private readonly Glob[] _globs;
    private readonly bool _matchesEverything;

    public GlobList(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var globs = new List<Glob>();
        foreach (var pattern in patterns)
        {
            var glob = new Glob(pattern);
            globs.Add(glob);
            _matchesEverything |= glob.MatchesEverything;
        }

        _globs = [.. globs];
    }

    public int Count => _globs.Length;

    public IReadOnlyList<Glob> Globs => _globs;

    public bool IsMatch(ReadOnlySpan<char> value)
    {
        if (_matchesEverything)
        {
            return true;
        }

        foreach (var glob in _globs)
        {
            if (glob.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => string.Join(", ", _globs.Select(g => g.Pattern));
}
