namespace McpGate.Configuration.Loading;

/// <summary>
/// Collects the problems every section reader finds in one file, each placed at its line and column, so that all
/// of them are reported together (docs/acl.md, "Error messages") rather than one per edit-and-retry.
/// </summary>
internal sealed class ConfigErrorSink(string sourcePath, JsonPositionMap positions)
{
    private readonly List<ConfigError> _errors = [];

    // Error paths that hide a secret (a plain bearer token key) mapped to the real path, for line/column lookup.
    private readonly List<(string DisplayPrefix, string RealPrefix)> _pathAliases = [];

    public int Count => _errors.Count;

    /// <param name="occurrence">Which occurrence of a duplicated key <paramref name="path"/> means (0 = the first).</param>
    public void Add(string path, string message, string? fix, int occurrence = 0)
    {
        var positionPath = path;
        foreach (var (displayPrefix, realPrefix) in _pathAliases)
        {
            if (path.StartsWith(displayPrefix, StringComparison.Ordinal))
            {
                positionPath = realPrefix + path[displayPrefix.Length..];
                break;
            }
        }

        var position = positions.Find(positionPath, occurrence);
        _errors.Add(new ConfigError(path, message, fix, position?.Line, position?.Column));
    }

    /// <summary>Errors under <paramref name="displayPrefix"/> are located at <paramref name="realPrefix"/>, which must not be shown.</summary>
    public void AddPathAlias(string displayPrefix, string realPrefix) => _pathAliases.Add((displayPrefix, realPrefix));

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new ConfigLoadException(sourcePath, _errors);
        }
    }
}
