using System.Buffers;
using System.IO.Pipelines;

namespace McpGate.Bench.StdioUpstream;

/// <summary>
/// Answers the stdio transport the way a small MCP server would, but from canned bytes: <c>initialize</c>,
/// <c>tools/list</c>, <c>tools/call</c>, <c>ping</c>; notifications and responses get nothing, anything else
/// (<c>server/discover</c> included, which sends a 2026-07-28 client back to <c>initialize</c>) "method not found".
/// </summary>
internal sealed class LineResponder(CannedCatalog catalog)
{
    private static readonly byte[] s_result = "\"result\":"u8.ToArray();
    private static readonly byte[] s_error = "\"error\":"u8.ToArray();
    private static readonly byte[] s_methodNotFound = """{"code":-32601,"message":"Method not found"}"""u8.ToArray();

    public async Task RunAsync(PipeReader input, PipeWriter output)
    {
        var id = new byte[JsonRpcEnvelope.MaxIdBytes];
        while (true)
        {
            var read = await input.ReadAsync();
            var buffer = read.Buffer;
            var answered = false;
            while (TryReadLine(ref buffer, out var line))
            {
                answered |= Answer(line, id, output);
            }

            input.AdvanceTo(buffer.Start, buffer.End);

            // One flush per read: whatever arrived together (a proxy writing several callers' requests at once)
            // is answered with one write.
            if (answered)
            {
                await output.FlushAsync();
            }

            if (read.IsCompleted)
            {
                break;
            }
        }

        await output.CompleteAsync();
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (reader.TryReadTo(out line, (byte)'\n'))
        {
            buffer = buffer.Slice(reader.Position);
            return true;
        }

        return false;
    }

    private bool Answer(ReadOnlySequence<byte> line, byte[] idBuffer, PipeWriter output)
    {
        if (line.IsEmpty || (line.Length == 1 && line.FirstSpan[0] == (byte)'\r'))
        {
            return false;
        }

        var (method, idLength) = JsonRpcEnvelope.Read(line, idBuffer);
        var member = s_result;
        byte[] value;
        switch (method)
        {
            case McpMethod.Notification:
                return false;
            case McpMethod.Initialize:
                value = catalog.InitializeResult;
                break;
            case McpMethod.ToolsList:
                value = catalog.ListResult;
                break;
            case McpMethod.ToolsCall:
                value = catalog.CallResult;
                break;
            case McpMethod.Ping:
                value = CannedCatalog.EmptyResult;
                break;
            default:
                member = s_error;
                value = s_methodNotFound;
                break;
        }

        output.Write("{\"jsonrpc\":\"2.0\",\"id\":"u8);
        output.Write(idLength == 0 ? "null"u8 : idBuffer.AsSpan(0, idLength));
        output.Write(","u8);
        output.Write(member);
        output.Write(value);
        output.Write("}\n"u8);
        return true;
    }
}
