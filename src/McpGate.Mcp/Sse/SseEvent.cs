using System.Text;

namespace McpGate.Mcp.Sse;

/// <summary>What one line of an SSE event block is.</summary>
public enum SseLineKind
{
    /// <summary><c>name: value</c>, or a bare <c>name</c> (empty value).</summary>
    Field,

    /// <summary>A line starting with <c>:</c> (keep-alives such as <c>: keepalive</c>).</summary>
    Comment,
}

/// <summary>One line of an event block, as received.</summary>
public readonly struct SseLine
{
    internal SseLine(SseLineKind kind, string name, ReadOnlyMemory<byte> value, ReadOnlyMemory<byte> raw, bool valueHadLeadingSpace)
    {
        Kind = kind;
        Name = name;
        Value = value;
        Raw = raw;
        ValueHadLeadingSpace = valueHadLeadingSpace;
    }

    public SseLineKind Kind { get; }

    /// <summary>The field name (<c>data</c>, <c>id</c>, <c>event</c>, <c>retry</c> or any other); empty for a comment.</summary>
    public string Name { get; }

    /// <summary>The value after the colon without the one optional space; a comment's text after the colon.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The whole line including its line terminator (CRLF, LF or CR; none for an unterminated last line).</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The value was separated from the colon by a space (<c>data: x</c> rather than <c>data:x</c>).</summary>
    public bool ValueHadLeadingSpace { get; }

    public bool IsField(string name) => Kind == SseLineKind.Field && string.Equals(Name, name, StringComparison.Ordinal);
}

/// <summary>
/// One event block of a <c>text/event-stream</c>: the lines up to and including the blank line that ends it,
/// kept byte for byte in <see cref="Raw"/> so that a proxy can re-emit it unchanged (event ids for
/// <c>Last-Event-ID</c>, <c>retry</c>, comments and unknown fields included). Blocks without data (priming events,
/// comment-only keep-alives, stray blank lines) are events too, so nothing is lost in re-emission.
/// </summary>
public sealed class SseEvent
{
    internal SseEvent(ReadOnlyMemory<byte> raw, int leadingLength, SseLine[] lines, int linesEnd, bool isComplete)
    {
        Raw = raw;
        LeadingLength = leadingLength;
        Lines = lines;
        LinesEnd = linesEnd;
        IsComplete = isComplete;

        var dataLines = 0;
        ReadOnlyMemory<byte> data = default;
        foreach (var line in lines)
        {
            if (line.Kind != SseLineKind.Field)
            {
                continue;
            }

            switch (line.Name)
            {
                case SseFieldNames.Data:
                    dataLines++;
                    data = dataLines == 1 ? line.Value : default;
                    break;
                case SseFieldNames.Id when line.Value.Span.IndexOf((byte)0) < 0:
                    Id = Encoding.UTF8.GetString(line.Value.Span);
                    break;
                case SseFieldNames.Event:
                    EventType = Encoding.UTF8.GetString(line.Value.Span);
                    break;
                case SseFieldNames.Retry when TryParseRetry(line.Value.Span, out var retry):
                    Retry = retry;
                    break;
                default:
                    break;
            }
        }

        HasData = dataLines > 0;
        Data = dataLines > 1 ? JoinData(lines) : data;
    }

    /// <summary>
    /// The exact bytes received for this event, including its terminating blank line. For an event from
    /// <see cref="SseEventReader.ReadBorrowedAsync"/> this (like <see cref="Data"/> and the lines) is valid only until
    /// the reader's next read.
    /// </summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>The lines of the block in order, without the terminating blank line.</summary>
    public IReadOnlyList<SseLine> Lines { get; }

    /// <summary>False only for bytes left at the end of the stream with no blank line after them.</summary>
    public bool IsComplete { get; }

    /// <summary>The last <c>id</c> field (a value containing NUL is ignored, as the SSE standard says); null if none.</summary>
    public string? Id { get; }

    /// <summary>The last <c>event</c> field; null if none (a client then sees <c>message</c>).</summary>
    public string? EventType { get; }

    /// <summary>The last valid <c>retry</c> field in milliseconds.</summary>
    public long? Retry { get; }

    /// <summary>At least one <c>data</c> line (possibly empty, as in a priming event).</summary>
    public bool HasData { get; }

    /// <summary>The data lines' values joined with LF; a slice of <see cref="Raw"/> when there is one data line.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Bytes before the first line that belong to the previous block's line terminator or to a BOM.</summary>
    internal int LeadingLength { get; }

    /// <summary>Offset in <see cref="Raw"/> where the terminating blank line starts.</summary>
    internal int LinesEnd { get; }

    private static byte[] JoinData(SseLine[] lines)
    {
        var length = -1;
        foreach (var line in lines)
        {
            if (line.IsField(SseFieldNames.Data))
            {
                length += line.Value.Length + 1;
            }
        }

        var result = new byte[length];
        var position = 0;
        foreach (var line in lines)
        {
            if (!line.IsField(SseFieldNames.Data))
            {
                continue;
            }

            if (position > 0)
            {
                result[position++] = (byte)'\n';
            }

            line.Value.Span.CopyTo(result.AsSpan(position));
            position += line.Value.Length;
        }

        return result;
    }

    private static bool TryParseRetry(ReadOnlySpan<byte> value, out long retry)
    {
        retry = 0;
        if (value.IsEmpty || value.Length > 18)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            retry = (retry * 10) + (b - '0');
        }

        return true;
    }
}

internal static class SseFieldNames
{
    public const string Data = "data";
    public const string Id = "id";
    public const string Event = "event";
    public const string Retry = "retry";
}
