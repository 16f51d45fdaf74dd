using System.Buffers;

namespace McpGate.Audit.Reading;

/// <summary>Feeds an audit log, line by line, to an <see cref="IAuditLineConsumer"/> (the alert rules, or any other
/// reader of the trail).</summary>
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

        var read = 0;
        var skipped = 0;
        var unreadable = new List<string>();
        var oldest = consumer.NotBefore is { } notBefore ? notBefore - s_modifiedSlack : DateTimeOffset.MinValue;
        foreach (var file in source.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (oldest != DateTimeOffset.MinValue && File.GetLastWriteTimeUtc(file) < oldest.UtcDateTime)
                {
                    skipped++;
                    continue;
                }

                // The gate may be appending to today's file right now.
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
                ScanStream(stream, file, consumer, cancellationToken);
                read++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Retention may delete a file between listing and opening; anything else is reported.
                if (File.Exists(file))
                {
                    unreadable.Add($"{file}: {ex.Message}");
                }
            }
        }

        return new ScanSummary(read, skipped, unreadable);
    }

    public static void ScanStream(Stream stream, string sourceName, IAuditLineConsumer consumer, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var filled = 0;
            var lineNumber = 0L;
            var discarding = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxLineBytes)
                    {
                        // An over-long line: drop what we have and skip to its end.
                        if (!discarding)
                        {
                            lineNumber++;
                            consumer.AddOversizedLine(sourceName, lineNumber);
                        }

                        discarding = true;
                        filled = 0;
                    }
                    else
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, filled).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                }

                var count = stream.Read(buffer, filled, buffer.Length - filled);
                if (count == 0)
                {
                    if (filled > 0 && !discarding)
                    {
                        // The last line has no line break: the gate is writing it, or it was torn.
                        lineNumber++;
                        consumer.Add(buffer.AsSpan(0, filled), sourceName, lineNumber);
                    }

                    return;
                }

                var start = 0;
                var end = filled + count;
                var newline = buffer.AsSpan(filled, count).IndexOf((byte)'\n');
                var at = newline < 0 ? -1 : filled + newline;
                while (at >= 0)
                {
                    if (!discarding)
                    {
                        // CRLF files (an editor, a Windows collector) read the same as LF ones: every consumer sees a
                        // line without its ending.
                        lineNumber++;
                        var line = buffer.AsSpan(start, at - start);
                        consumer.Add(line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line, sourceName, lineNumber);
                    }

                    discarding = false;
                    start = at + 1;
                    var next = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    at = next < 0 ? -1 : start + next;
                }

                filled = end - start;
                buffer.AsSpan(start, filled).CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <param name="FilesRead">Files (or stdin) read.</param>
/// <param name="FilesSkipped">Files not opened because nothing in them can be recent enough.</param>
/// <param name="Unreadable">Files that could not be read, with the reason.</param>
public sealed record ScanSummary(int FilesRead, int FilesSkipped, IReadOnlyList<string> Unreadable);
