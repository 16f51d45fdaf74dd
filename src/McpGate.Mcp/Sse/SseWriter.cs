using System.Buffers;
using System.Globalization;
using System.Text;

namespace McpGate.Mcp.Sse;

/// <summary>Writes SSE events: unchanged, with replaced data, or new.</summary>
public static class SseWriter
{
    /// <summary>Writes the event exactly as it was received.</summary>
    public static void Write(IBufferWriter<byte> output, SseEvent sseEvent)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sseEvent);
        output.Write(sseEvent.Raw.Span);
    }

    /// <summary>
    /// Writes <paramref name="original"/> with its data replaced by <paramref name="data"/>: every other line
    /// (id, event, retry, comments, unknown fields) and every line ending stays as received, in order; the new data
    /// lines take the place of the first data line. A data value with line breaks becomes several data lines.
    /// </summary>
    public static void WriteWithData(IBufferWriter<byte> output, SseEvent original, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(original);
        var raw = original.Raw.Span;
        output.Write(raw[..original.LeadingLength]);

        var dataWritten = false;
        foreach (var line in original.Lines)
        {
            if (!line.IsField("data"))
            {
                output.Write(line.Raw.Span);
                continue;
            }

            if (!dataWritten)
            {
                var terminator = line.Raw.Span[(line.Raw.Length - TerminatorLength(line.Raw.Span))..];
                WriteDataLines(output, data, line.ValueHadLeadingSpace, terminator.IsEmpty ? "\n"u8 : terminator);
                dataWritten = true;
            }
        }

        var blank = raw[original.LinesEnd..];
        if (!dataWritten)
        {
            WriteDataLines(output, data, leadingSpace: true, blank.IsEmpty ? "\n"u8 : blank);
        }

        output.Write(blank);
    }

    /// <summary>Writes a new event with LF line endings.</summary>
    public static void WriteEvent(IBufferWriter<byte> output, ReadOnlySpan<byte> data, string? eventType = null, string? id = null, long? retry = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (eventType is not null)
        {
            WriteField(output, "event: "u8, SingleLine(eventType, nameof(eventType)));
        }

        if (id is not null)
        {
            if (id.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("An SSE event id cannot contain NUL.", nameof(id));
            }

            WriteField(output, "id: "u8, SingleLine(id, nameof(id)));
        }

        if (retry is { } milliseconds)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(retry));
            WriteField(output, "retry: "u8, milliseconds.ToString(CultureInfo.InvariantCulture));
        }

        WriteDataLines(output, data, leadingSpace: true, "\n"u8);
        output.Write("\n"u8);
    }

    /// <summary>Writes a comment block (<c>: text</c> and a blank line), e.g. a keep-alive.</summary>
    public static void WriteComment(IBufferWriter<byte> output, string text)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteField(output, ": "u8, SingleLine(text, nameof(text)));
        output.Write("\n"u8);
    }

    private static void WriteDataLines(IBufferWriter<byte> output, ReadOnlySpan<byte> data, bool leadingSpace, ReadOnlySpan<byte> terminator)
    {
        var prefix = leadingSpace ? "data: "u8 : "data:"u8;
        while (true)
        {
            var index = data.IndexOfAny((byte)'\r', (byte)'\n');
            output.Write(prefix);
            if (index < 0)
            {
                output.Write(data);
                output.Write(terminator);
                return;
            }

            output.Write(data[..index]);
            output.Write(terminator);
            var skip = data[index] == (byte)'\r' && index + 1 < data.Length && data[index + 1] == (byte)'\n' ? 2 : 1;
            data = data[(index + skip)..];
        }
    }

    private static void WriteField(IBufferWriter<byte> output, ReadOnlySpan<byte> prefix, string value)
    {
        output.Write(prefix);
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, span);
        output.Advance(written);
        output.Write("\n"u8);
    }

    private static string SingleLine(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("An SSE field value cannot contain a line break.", parameterName);
        }

        return value;
    }

    private static int TerminatorLength(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\r\n"u8))
        {
            return 2;
        }

        return line.Length > 0 && line[^1] is (byte)'\r' or (byte)'\n' ? 1 : 0;
    }
}
