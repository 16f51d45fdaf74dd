using System.Text;
using System.Text.Json;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;

namespace McpGate.Fuzz.Targets;

/// <summary>
/// <see cref="SseListFilter.CopyAsync"/> on an arbitrary event stream. The first byte picks the list kind and the
/// request id (7 or "a7"), the second how the stream is cut into reads. Never throws (other than for the size cap);
/// the output, read by a WHATWG event-stream parser, carries no hidden item in a response to the request.
/// </summary>
internal static class SseFilterTarget
{
    // The request id the filtered responses answer, read as the gate reads ids: off the wire.
    private static readonly JsonRpcId s_numericId = JsonRpcId.TryParse("7", out var id) ? id : throw new InvalidOperationException();

    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 512 };

    public static void Run(byte[] input)
    {
        if (input.Length < 2)
        {
            return;
        }

        var kind = (ListKind)(input[0] % 4);
        var stringId = (input[0] & 0x10) != 0;
        var requestId = stringId ? JsonRpcId.FromString("a7") : s_numericId;
        using var expectedId = JsonDocument.Parse(stringId ? "\"a7\"" : "7");
        var upstream = new ChunkedStream(input[2..], (input[1] % 13) + 1);
        using var client = new MemoryStream();
        SseListFilter.CopyAsync(upstream, client, requestId, kind, FuzzVisibility.Instance, null, false, CancellationToken.None).GetAwaiter().GetResult();

        foreach (var data in EventData(client.ToArray()))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(data, s_options);
            }
            catch (JsonException)
            {
                continue;
            }

            using (document)
            {
                ListChecks.NoHiddenItem(document.RootElement, kind, expectedId.RootElement);
            }
        }
    }

    /// <summary>The data of every event a browser EventSource would dispatch (WHATWG HTML §9.2.6), written independently of SseEventReader.</summary>
    internal static IEnumerable<string> EventData(byte[] stream)
    {
        var text = Encoding.UTF8.GetString(stream);
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        var data = new StringBuilder();
        var hasData = false;
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOfAny(['\r', '\n'], position);
            if (end < 0)
            {
                // An unterminated last line is discarded with its event.
                break;
            }

            var line = text[position..end];
            position = end + (text[end] == '\r' && end + 1 < text.Length && text[end + 1] == '\n' ? 2 : 1);
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return data.ToString();
                }

                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            if (field == "data")
            {
                if (hasData)
                {
                    data.Append('\n');
                }

                data.Append(value);
                hasData = true;
            }
        }
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, so events arrive split at every possible place.</summary>
    private sealed class ChunkedStream(byte[] content, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => content.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), content.Length - _position);
            content.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
