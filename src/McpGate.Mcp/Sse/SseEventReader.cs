using System.Buffers;
using System.Text;

namespace McpGate.Mcp.Sse;

/// <summary>
/// Reads a <c>text/event-stream</c> incrementally, one event block at a time, as soon as its terminating blank line
/// has arrived: events may span reads, lines may end in CRLF, LF or CR (even a CRLF split across two reads).
/// Only the bytes of the event being read are buffered. Each event's <see cref="SseEvent.Raw"/> is the same whatever
/// the read boundaries were; the one cost is that an event whose last byte so far is a lone CR is returned only when
/// the next byte (or the end of the stream) shows it was not the first half of a CRLF.
/// </summary>
public sealed class SseEventReader : IDisposable
{
    /// <summary>Default cap on one event's size; a 1,000-tool list is far below it.</summary>
    public const int DefaultMaxEventBytes = 64 * 1024 * 1024;

    private const int InitialBufferSize = 16 * 1024;

    private readonly Stream _stream;
    private readonly int _maxEventBytes;
    private readonly List<LineRange> _lines = [];

    private byte[] _buffer;
    private int _end;
    private int _frameStart;
    private int _lineStart;
    private int _scan;
    private int _leading;
    private bool _atStreamStart = true;
    private bool _eof;
    private bool _borrow;

    public SseEventReader(Stream stream, int maxEventBytes = DefaultMaxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 16);
        _stream = stream;
        _maxEventBytes = maxEventBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferSize, maxEventBytes));
    }

    /// <summary>
    /// The next event, or null at the end of the stream. Bytes left over at the end without a terminating blank line
    /// come back as one last event with <see cref="SseEvent.IsComplete"/> false.
    /// </summary>
    /// <exception cref="InvalidDataException">An event grew beyond the size cap.</exception>
    public ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken = default) => ReadAsync(borrow: false, cancellationToken);

    /// <summary>
    /// Like <see cref="ReadAsync(CancellationToken)"/>, but the event's <see cref="SseEvent.Raw"/>,
    /// <see cref="SseEvent.Data"/> and line values point into the reader's pooled buffer instead of a copy: they are
    /// valid only until the next read or <see cref="Dispose"/>, so use (or copy) them before reading on. Saves one
    /// copy of every event, which for a large list response is a Large Object Heap allocation per event.
    /// </summary>
    /// <exception cref="InvalidDataException">An event grew beyond the size cap.</exception>
    public ValueTask<SseEvent?> ReadBorrowedAsync(CancellationToken cancellationToken = default) => ReadAsync(borrow: true, cancellationToken);

    private async ValueTask<SseEvent?> ReadAsync(bool borrow, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        _borrow = borrow;
        while (true)
        {
            var next = TryParse();
            if (next is not null)
            {
                return next;
            }

            if (_eof)
            {
                return _end > _frameStart ? TakeRemainder() : null;
            }

            MakeRoom();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                _eof = true;
            }
            else
            {
                _end += read;
            }
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private SseEvent? TryParse()
    {
        if (_atStreamStart && !SkipByteOrderMark())
        {
            return null;
        }

        var buffer = _buffer;
        while (_scan < _end)
        {
            var index = buffer.AsSpan(_scan, _end - _scan).IndexOfAny((byte)'\r', (byte)'\n');
            if (index < 0)
            {
                _scan = _end;
                break;
            }

            var position = _scan + index;
            var terminatorLength = 1;
            if (buffer[position] == (byte)'\r')
            {
                if (position + 1 < _end)
                {
                    terminatorLength = buffer[position + 1] == (byte)'\n' ? 2 : 1;
                }
                else if (!_eof)
                {
                    // A CR that ends what has arrived may be the first half of a CRLF: wait for one more byte so a
                    // split CRLF is never read as two line breaks (which would end the event early).
                    _scan = position;
                    break;
                }
            }

            var contentLength = position - _lineStart;
            _scan = position + terminatorLength;
            if (contentLength == 0)
            {
                return TakeFrame(_scan, isComplete: true);
            }

            _lines.Add(new LineRange(_lineStart - _frameStart, contentLength, terminatorLength));
            _lineStart = _scan;
        }

        if (_end - _frameStart >= _maxEventBytes)
        {
            throw new InvalidDataException($"An SSE event is larger than {_maxEventBytes} bytes.");
        }

        return null;
    }

    /// <summary>False when more bytes are needed to tell whether the stream starts with a UTF-8 BOM.</summary>
    private bool SkipByteOrderMark()
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var available = _buffer.AsSpan(0, _end);
        if (available.Length < bom.Length && !_eof && bom.StartsWith(available))
        {
            return false;
        }

        _atStreamStart = false;
        if (available.StartsWith(bom))
        {
            _leading = bom.Length;
            _scan = _lineStart = bom.Length;
        }

        return true;
    }

    private SseEvent TakeRemainder()
    {
        if (_end > _lineStart)
        {
            _lines.Add(new LineRange(_lineStart - _frameStart, _end - _lineStart, 0));
        }

        return TakeFrame(_end, isComplete: false);
    }

    private SseEvent TakeFrame(int frameEnd, bool isComplete)
    {
        ReadOnlyMemory<byte> raw = _borrow
            ? _buffer.AsMemory(_frameStart, frameEnd - _frameStart)
            : _buffer.AsSpan(_frameStart, frameEnd - _frameStart).ToArray();
        var lines = new SseLine[_lines.Count];
        var linesEnd = _leading;
        for (var i = 0; i < lines.Length; i++)
        {
            var range = _lines[i];
            lines[i] = CreateLine(raw, range);
            linesEnd = range.Start + range.ContentLength + range.TerminatorLength;
        }

        var result = new SseEvent(raw, _leading, lines, linesEnd, isComplete);
        _lines.Clear();
        _leading = 0;
        _frameStart = _lineStart = frameEnd;
        return result;
    }

    private static SseLine CreateLine(ReadOnlyMemory<byte> raw, LineRange range)
    {
        var content = raw.Slice(range.Start, range.ContentLength);
        var rawLine = raw.Slice(range.Start, range.ContentLength + range.TerminatorLength);
        var span = content.Span;
        if (span[0] == (byte)':')
        {
            return new SseLine(SseLineKind.Comment, string.Empty, content[1..], rawLine, valueHadLeadingSpace: false);
        }

        var colon = span.IndexOf((byte)':');
        if (colon < 0)
        {
            return new SseLine(SseLineKind.Field, FieldName(span), ReadOnlyMemory<byte>.Empty, rawLine, valueHadLeadingSpace: false);
        }

        var value = content[(colon + 1)..];
        var space = !value.IsEmpty && value.Span[0] == (byte)' ';
        return new SseLine(SseLineKind.Field, FieldName(span[..colon]), space ? value[1..] : value, rawLine, space);
    }

    private static string FieldName(ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("data"u8))
        {
            return SseFieldNames.Data;
        }

        if (name.SequenceEqual("id"u8))
        {
            return SseFieldNames.Id;
        }

        if (name.SequenceEqual("event"u8))
        {
            return SseFieldNames.Event;
        }

        if (name.SequenceEqual("retry"u8))
        {
            return SseFieldNames.Retry;
        }

        return Encoding.UTF8.GetString(name);
    }

    /// <summary>Moves the unfinished event to the buffer's start, and grows the buffer when it is full.</summary>
    private void MakeRoom()
    {
        if (_frameStart > 0)
        {
            var length = _end - _frameStart;
            Buffer.BlockCopy(_buffer, _frameStart, _buffer, 0, length);
            _scan -= _frameStart;
            _lineStart -= _frameStart;
            _end = length;
            _frameStart = 0;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _maxEventBytes + 1L));
        Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private readonly record struct LineRange(int Start, int ContentLength, int TerminatorLength);
}
