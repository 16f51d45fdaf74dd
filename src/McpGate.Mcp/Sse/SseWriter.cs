using System.Buffers;

namespace McpGate.Mcp.Sse;

/// <summary>Writes an SSE event with its data replaced (the list filter's rewrite); everything else of it stays as
/// received.</summary>
public static class SseWriter
{
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

    private static int TerminatorLength(ReadOnlySpan<byte> line)
    {
        if (line.EndsWith("\r\n"u8))
        {
            return 2;
        }

        return line.Length > 0 && line[^1] is (byte)'\r' or (byte)'\n' ? 1 : 0;
    }
}
