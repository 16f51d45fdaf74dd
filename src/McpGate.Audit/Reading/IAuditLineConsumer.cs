namespace McpGate.Audit.Reading;

/// <summary>
/// What <see cref="AuditLogScanner"/> feeds, one line at a time: the alert rules (<c>mcp audit alerts</c>), or any
/// other reader of the trail. Lines arrive in time order (several files are merged on <c>ts</c>), each without its line break.
/// </summary>
public interface IAuditLineConsumer
{
    /// <summary>Lines older than this cannot matter: files last written before it (less an hour's slack for a
    /// clock that stepped back) are not opened. Null reads every file.</summary>
    DateTimeOffset? NotBefore { get; }

    /// <param name="line">One line, without its line break.</param>
    /// <param name="source">The file (or <c>stdin</c>) the line came from.</param>
    /// <param name="lineNumber">Its 1-based line number in <paramref name="source"/>.</param>
    void Add(ReadOnlySpan<byte> line, string source, long lineNumber);

    /// <summary>A line longer than <see cref="AuditLogScanner.MaxLineBytes"/>: no audit line is, so it is skipped
    /// unread.</summary>
    void AddOversizedLine(string source, long lineNumber);
}
