using System.Buffers;

namespace McpGate.Audit.Reading;

/// <summary>
/// Reads one audit file's lines, one at a time, on a pooled buffer: the pull side of <see cref="AuditLogScanner"/>,
/// so several files can be read side by side and merged (<see cref="AuditLogMerge"/>). A line stays valid until the
/// next <see cref="Read"/>.
/// </summary>
internal sealed class AuditLineReader : IDisposable
{
    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private bool _atEnd;

    public AuditLineReader(Stream stream, string source)
    {
        _stream = stream;
        Source = source;
    }

    public string Source { get; }

    /// <summary>The 1-based number of the line <see cref="Read"/> returned last.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The line <see cref="Read"/> returned last, without its line break: CRLF files (an editor, a Windows
    /// collector) read the same as LF ones.</summary>
    public ReadOnlySpan<byte> Line
    {
        get
        {
            var line = _buffer.AsSpan(LineStart, LineLength);
            return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
        }
    }

    /// <summary>True when the line <see cref="Read"/> returned last was longer than <see cref="AuditLogScanner.MaxLineBytes"/> (and is empty).</summary>
    public bool Oversized { get; private set; }

    private int LineStart { get; set; }

    private int LineLength { get; set; }

    /// <summary>Moves to the next line; false at the end of the stream. A last line without a line break is still a
    /// line: the gate is writing it, or it was torn.</summary>
    public bool Read(CancellationToken cancellationToken)
    {
        var discarding = false;
        var searchFrom = _start;
        while (true)
        {
            var newline = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var at = searchFrom + newline;
                LineNumber++;
                (LineStart, LineLength, Oversized) = discarding ? (0, 0, true) : (_start, at - _start, false);
                _start = at + 1;
                return true;
            }

            if (_atEnd)
            {
                if (_end > _start || discarding)
                {
                    LineNumber++;
                    (LineStart, LineLength, Oversized) = discarding ? (0, 0, true) : (_start, _end - _start, false);
                    _start = _end;
                    return true;
                }

                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            searchFrom = _end;
            if (_start > 0)
            {
                // Keep the partial line at the front: the buffer only grows for a line longer than it.
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                (searchFrom, _end, _start) = (searchFrom - _start, _end - _start, 0);
            }

            if (_end == _buffer.Length)
            {
                if (_buffer.Length >= AuditLogScanner.MaxLineBytes)
                {
                    // An over-long line: drop what we have and skip to its end.
                    discarding = true;
                    (_start, _end, searchFrom) = (0, 0, 0);
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                    _buffer.AsSpan(0, _end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }
            }

            var count = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (count == 0)
            {
                _atEnd = true;
            }

            _end += count;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
