namespace McpGate.Audit.Reading;

/// <summary>Feeds an audit log, line by line, to an <see cref="IAuditLineConsumer"/> (the alert rules, or any other
/// reader of the trail). Several files (several replicas', several days) are fed as one log in time order.</summary>
public static class AuditLogScanner
{
    /// <summary>A line longer than this is not an audit line (they are well under a few KiB); it is skipped as
    /// malformed rather than buffered without bound.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>Files whose last write is older than the oldest line that could count are not opened: lines are
    /// appended in time order, so such a file holds only older lines. The slack covers a clock that stepped back.</summary>
    private static readonly TimeSpan s_modifiedSlack = TimeSpan.FromHours(1);

    public static ScanSummary Scan(AuditLogSource source, Stream stdin, IAuditLineConsumer consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(consumer);

        if (source.IsStdin)
        {
            ScanStream(stdin, "stdin", consumer, cancellationToken);
            return new ScanSummary(1, 0, []);
        }

        var skipped = 0;
        var oldest = consumer.NotBefore is { } notBefore ? notBefore - s_modifiedSlack : DateTimeOffset.MinValue;
        var files = new List<string>(source.Files.Count);
        foreach (var file in source.Files)
        {
            if (oldest != DateTimeOffset.MinValue && File.Exists(file) && File.GetLastWriteTimeUtc(file) < oldest.UtcDateTime)
            {
                skipped++;
            }
            else
            {
                files.Add(file);
            }
        }

        // Several replicas' files (or one replica's days) are one log: read side by side, in time order.
        using var merge = new AuditLogMerge(files, cancellationToken);
        while (merge.Next(cancellationToken) is { } reader)
        {
            Deliver(reader, consumer);
        }

        return new ScanSummary(merge.FilesRead, skipped, merge.Unreadable);
    }

    public static void ScanStream(Stream stream, string sourceName, IAuditLineConsumer consumer, CancellationToken cancellationToken)
    {
        using var reader = new AuditLineReader(stream, sourceName);
        while (reader.Read(cancellationToken))
        {
            Deliver(reader, consumer);
        }
    }

    private static void Deliver(AuditLineReader reader, IAuditLineConsumer consumer)
    {
        if (reader.Oversized)
        {
            consumer.AddOversizedLine(reader.Source, reader.LineNumber);
        }
        else
        {
            consumer.Add(reader.Line, reader.Source, reader.LineNumber);
        }
    }
}

/// <param name="FilesRead">Files (or stdin) read.</param>
/// <param name="FilesSkipped">Files not opened because nothing in them can be recent enough.</param>
/// <param name="Unreadable">Files that could not be read, with the reason.</param>
public sealed record ScanSummary(int FilesRead, int FilesSkipped, IReadOnlyList<string> Unreadable);
