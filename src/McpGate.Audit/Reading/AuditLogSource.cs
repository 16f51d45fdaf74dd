namespace McpGate.Audit.Reading;

/// <summary>
/// What <c>mcp audit alerts --log</c> reads: standard input (<c>-</c>), one file, every <c>mcpgate-*.jsonl</c> in a
/// directory, or every file of a rolling pattern such as <c>./audit/mcpgate-.jsonl</c> (the config's
/// <c>gateway.audit.path</c>): <c>{stem}*{extension}</c> next to it.
/// </summary>
public sealed record AuditLogSource
{
    private AuditLogSource(bool isStdin, IReadOnlyList<string> files, string description)
    {
        IsStdin = isStdin;
        Files = files;
        Description = description;
    }

    public bool IsStdin { get; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>What was asked for, as resolved (for messages).</summary>
    public string Description { get; }

    public static AuditLogSource Stdin { get; } = new(true, [], "stdin");

    /// <summary>Null when <paramref name="path"/> names nothing that exists: not a file, not a directory, and not a
    /// pattern whose directory exists.</summary>
    public static AuditLogSource? Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (path.Trim() == AuditDestination.StdoutPath)
        {
            return Stdin;
        }

        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return new AuditLogSource(false, [full], full);
        }

        var pattern = AuditDestination.ToPattern(path);
        var names = new AuditFileNames(pattern);
        if (!Directory.Exists(names.Directory))
        {
            return null;
        }

        return new AuditLogSource(false, names.ExistingFiles(rolledOnly: false), Path.Combine(names.Directory, names.Stem + "*" + names.Extension));
    }
}
