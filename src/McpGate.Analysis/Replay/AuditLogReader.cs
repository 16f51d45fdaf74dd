using System.Buffers;

namespace McpGate.Analysis.Replay;

/// <summary>
/// Streams an audit log line by line through one pooled buffer, so memory stays flat whatever the log's size. A line
/// longer than <see cref="MaxLineBytes"/> is skipped whole and counted as malformed, like a torn line.
/// </summary>
internal static class AuditLogReader
{
    public const int MaxLineBytes = 1024 * 1024;
    private const int InitialBufferBytes = 64 * 1024;

    /// <summary>Calls <paramref name="onLine"/> for each line (without its <c>\n</c>); returns the count of over-long lines.</summary>
    public static long ReadLines(Stream stream, LineHandler onLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onLine);
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        long skipped = 0;
        try
        {
            int start = 0, end = 0;
            var discarding = false;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        // Move the partial line to the front and read on behind it.
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    else if (buffer.Length < MaxLineBytes)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxLineBytes));
                        Buffer.BlockCopy(buffer, 0, larger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    else
                    {
                        // One line fills the largest buffer: drop it up to its end.
                        discarding = true;
                        start = end = 0;
                    }
                }

                var read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0)
                {
                    if (end > start && !discarding)
                    {
                        onLine(buffer.AsSpan(start, end - start));
                    }

                    return skipped + (discarding ? 1 : 0);
                }

                end += read;
                while (true)
                {
                    var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        break;
                    }

                    if (discarding)
                    {
                        discarding = false;
                        skipped++;
                    }
                    else
                    {
                        var line = buffer.AsSpan(start, newline);
                        onLine(line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line);
                    }

                    start += newline + 1;
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal delegate void LineHandler(ReadOnlySpan<byte> line);
}
