using McpGate.Configuration;

namespace McpGate.Audit;

/// <summary>
/// Where audit lines go: standard output (<c>-</c>) or a daily-rolled file family. A file path is a pattern: the
/// UTC date (<c>yyyyMMdd</c>) is inserted before the extension, so <c>./audit/mcpgate-.jsonl</c> writes
/// <c>./audit/mcpgate-20250131.jsonl</c>. A path naming an existing directory, or ending in a separator, means
/// <c>mcpgate-.jsonl</c> inside it. Relative paths are resolved against the working directory once, at startup.
/// </summary>
public sealed record AuditDestination
{
    public const string StdoutPath = "-";
    public const string DefaultPath = "./audit/mcpgate-.jsonl";
    public const string DefaultFileName = "mcpgate-.jsonl";

    private AuditDestination(string? pattern, int? retainedFileCount)
    {
        Pattern = pattern;
        RetainedFileCount = retainedFileCount;
    }

    /// <summary>True when lines go to standard output.</summary>
    public bool IsStdout => Pattern is null;

    /// <summary>The full path pattern of the rolled files; null for stdout.</summary>
    public string? Pattern { get; }

    /// <summary>How many daily files to keep, the current one included; null keeps them all.</summary>
    public int? RetainedFileCount { get; }

    /// <summary>What diagnostics and <c>/readyz</c> call the destination.</summary>
    public string Description => Pattern ?? "stdout";

    public static AuditDestination Stdout { get; } = new(null, null);

    /// <summary><paramref name="pathOverride"/> (<c>--audit-log</c>) wins over the config's <c>gateway.audit.path</c>.</summary>
    public static AuditDestination Resolve(AuditSettings settings, string? pathOverride)
    {
        ArgumentNullException.ThrowIfNull(settings);

        var path = string.IsNullOrWhiteSpace(pathOverride) ? settings.Path : pathOverride;
        if (string.IsNullOrWhiteSpace(path))
        {
            path = DefaultPath;
        }

        path = path.Trim();
        if (path == StdoutPath)
        {
            return Stdout;
        }

        return new AuditDestination(ToPattern(path), settings.RetainedFileCount > 0 ? settings.RetainedFileCount : null);
    }

    /// <summary>The full file pattern for a configured path (see the type's summary).</summary>
    public static string ToPattern(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Path.EndsInDirectorySeparator(path) || Directory.Exists(full))
        {
            return Path.Combine(full, DefaultFileName);
        }

        return full;
    }
}
