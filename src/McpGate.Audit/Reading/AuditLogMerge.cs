namespace McpGate.Audit.Reading;

/// <summary>
/// Several audit files read as one log in time order: each replica writes its own file (docs/deploy.md, "Audit across
/// replicas"), and each file is in time order, so a merge on <c>ts</c> gives the whole log in time order without
/// holding it. A line whose <c>ts</c> cannot be read (torn, malformed) keeps its place in its own file.
/// </summary>
internal sealed class AuditLogMerge : IDisposable
{
    // {"ts":"yyyy-MM-ddTHH:mm:ss.fffZ": ts is always the first field (docs/audit.md, "The line").
    private static ReadOnlySpan<byte> Prefix => "{\"ts\":\""u8;
    private const int TimestampLength = 24;

    private readonly List<Cursor> _cursors = [];
    private readonly PriorityQueue<Cursor, (long Ts, int Index)> _queue = new();
    private readonly List<string> _unreadable = [];
    private Cursor? _current;

    /// <summary>Opens every file; one that cannot be opened (deleted by retention since it was listed, or denied) is
    /// left out and named in <see cref="Unreadable"/>.</summary>
    public AuditLogMerge(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                // The gate may be appending to today's file right now.
                var stream = new FileStream(files[i], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
                var cursor = new Cursor(new AuditLineReader(stream, files[i]), stream, i);
                _cursors.Add(cursor);
                Advance(cursor, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (File.Exists(files[i]))
                {
                    _unreadable.Add($"{files[i]}: {ex.Message}");
                }
            }
        }
    }

    /// <summary>Files that could not be read, with the reason.</summary>
    public IReadOnlyList<string> Unreadable => _unreadable;

    /// <summary>The files that were read (opened, and read to their end or to a read error).</summary>
    public int FilesRead => _cursors.Count;

    /// <summary>The reader positioned on the next line in time order, valid until the next call; null at the end.</summary>
    public AuditLineReader? Next(CancellationToken cancellationToken)
    {
        if (_current is { } previous)
        {
            Advance(previous, cancellationToken);
        }

        _current = _queue.TryDequeue(out var next, out _) ? next : null;
        return _current?.Reader;
    }

    private void Advance(Cursor cursor, CancellationToken cancellationToken)
    {
        try
        {
            if (!cursor.Reader.Read(cancellationToken))
            {
                return;
            }
        }
        catch (IOException ex)
        {
            _unreadable.Add($"{cursor.Reader.Source}: {ex.Message}");
            return;
        }

        if (!cursor.Reader.Oversized && TryReadTimestamp(cursor.Reader.Line, out var ts))
        {
            cursor.LastTs = ts;
        }

        _queue.Enqueue(cursor, (cursor.LastTs, cursor.Index));
    }

    /// <summary>The line's <c>ts</c> as the number yyyyMMddHHmmssfff, which orders like the time it names.</summary>
    internal static bool TryReadTimestamp(ReadOnlySpan<byte> line, out long ts)
    {
        ts = 0;
        if (!line.StartsWith(Prefix) || line.Length < Prefix.Length + TimestampLength)
        {
            return false;
        }

        foreach (var b in line.Slice(Prefix.Length, TimestampLength))
        {
            if (char.IsAsciiDigit((char)b))
            {
                ts = (ts * 10) + (b - '0');
            }
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var cursor in _cursors)
        {
            cursor.Reader.Dispose();
            cursor.Stream.Dispose();
        }
    }

    private sealed class Cursor(AuditLineReader reader, Stream stream, int index)
    {
        public AuditLineReader Reader { get; } = reader;

        public Stream Stream { get; } = stream;

        public int Index { get; } = index;

        public long LastTs { get; set; }
    }
}
