using System.Globalization;

namespace McpGate.Audit;

/// <summary>
/// The names of one pattern's daily files: <c>{stem}{yyyyMMdd}{extension}</c>, the shape Serilog's rolling file sink
/// uses, so a pattern written by one reads the same in the other and in <c>mcp audit alerts</c>.
/// </summary>
internal sealed class AuditFileNames
{
    private const string DateFormat = "yyyyMMdd";

    public AuditFileNames(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Directory = Path.GetDirectoryName(pattern) ?? Path.GetPathRoot(pattern) ?? ".";
        Stem = Path.GetFileNameWithoutExtension(pattern);
        Extension = Path.GetExtension(pattern);
    }

    public string Directory { get; }

    public string Stem { get; }

    public string Extension { get; }

    /// <summary>The lock file a writer holds exclusively: hidden, and outside the <c>{stem}*{extension}</c> glob.</summary>
    public string LockPath => Path.Combine(Directory, "." + Stem + Extension + ".lock");

    public string PathFor(DateOnly day)
        => Path.Combine(Directory, Stem + day.ToString(DateFormat, CultureInfo.InvariantCulture) + Extension);

    /// <summary>True for a file this pattern rolls: the stem, eight digits, and the extension (nothing else, so
    /// retention never deletes a file the gate did not write).</summary>
    public bool IsRolledFile(string fileName)
    {
        if (fileName.Length != Stem.Length + DateFormat.Length + Extension.Length
            || !fileName.StartsWith(Stem, StringComparison.Ordinal)
            || !fileName.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in fileName.AsSpan(Stem.Length, DateFormat.Length))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The pattern's existing files, oldest first (the date sorts by name). <paramref name="rolledOnly"/>
    /// keeps only names <see cref="IsRolledFile"/> accepts; otherwise any <c>{stem}*{extension}</c> counts (a reader
    /// also wants a copy such as <c>mcpgate-20250131_001.jsonl</c>).</summary>
    public IReadOnlyList<string> ExistingFiles(bool rolledOnly)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var files = new List<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, Stem + "*" + Extension))
        {
            var name = Path.GetFileName(path);
            if (rolledOnly ? IsRolledFile(name) : name.StartsWith(Stem, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal))
            {
                files.Add(path);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
