using System.Buffers;

namespace McpGate.Bench.FastUpstream;

/// <summary>
/// Answers Streamable HTTP the way a small MCP server would, but from canned bytes: <c>initialize</c> (with a
/// session id), notifications (202), <c>tools/list</c>, <c>tools/call</c>, <c>ping</c>; <c>server/discover</c> gets
/// the 400 that makes 2026-07-28 clients (the gate's discovery) fall back to <c>initialize</c>.
/// </summary>
internal sealed class McpResponder(CannedCatalog catalog, bool sse)
{
    // {"jsonrpc":"2.0","id": , }  around the id, member and value.
    private static readonly int s_envelopeOverhead = "{\"jsonrpc\":\"2.0\",\"id\":"u8.Length + 2;

    private static readonly byte[] s_resultMember = "\"result\":"u8.ToArray();
    private static readonly byte[] s_errorMember = "\"error\":"u8.ToArray();
    private static readonly byte[] s_unsupportedVersion = """{"code":-32000,"message":"Bad Request: Unsupported protocol version"}"""u8.ToArray();
    private static readonly byte[] s_methodNotFound = """{"code":-32601,"message":"Method not found"}"""u8.ToArray();

    public Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method))
        {
            return HandlePostAsync(context);
        }

        if (HttpMethods.IsGet(request.Method) && request.Path == "/healthz")
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("ok");
        }

        // No standalone GET stream (405 is what the spec asks for); DELETE of a session just succeeds.
        context.Response.StatusCode = HttpMethods.IsDelete(request.Method) ? StatusCodes.Status200OK : StatusCodes.Status405MethodNotAllowed;
        return Task.CompletedTask;
    }

    private async Task HandlePostAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        var read = await RequestBodies.ReadToEndAsync(reader, context.RequestAborted);

        var idBuffer = ArrayPool<byte>.Shared.Rent(JsonRpcEnvelope.MaxIdBytes);
        try
        {
            var (method, idLength) = JsonRpcEnvelope.Read(read.Buffer, idBuffer);
            reader.AdvanceTo(read.Buffer.End);
            await RespondAsync(context, method, idBuffer.AsMemory(0, idLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(idBuffer);
        }
    }

    private Task RespondAsync(HttpContext context, McpMethod method, ReadOnlyMemory<byte> id)
    {
        var response = context.Response;
        switch (method)
        {
            case McpMethod.Notification:
                response.StatusCode = StatusCodes.Status202Accepted;
                return Task.CompletedTask;
            case McpMethod.Discover:
                response.StatusCode = StatusCodes.Status400BadRequest;
                response.ContentType = "application/json";
                return WriteEnvelopeAsync(response, id, s_errorMember, s_unsupportedVersion, asSse: false);
            case McpMethod.Initialize:
                response.Headers["Mcp-Session-Id"] = Guid.NewGuid().ToString("N");
                return WriteResultAsync(response, id, catalog.InitializeResult);
            case McpMethod.ToolsList:
                return WriteResultAsync(response, id, catalog.ListResult);
            case McpMethod.ToolsCall:
                return WriteResultAsync(response, id, catalog.CallResult);
            case McpMethod.Ping:
                return WriteResultAsync(response, id, CannedCatalog.EmptyResult);
            default:
                return WriteEnvelopeAsync(response, id, s_errorMember, s_methodNotFound, asSse: false);
        }
    }

    private Task WriteResultAsync(HttpResponse response, ReadOnlyMemory<byte> id, byte[] result) =>
        WriteEnvelopeAsync(response, id, s_resultMember, result, sse);

    private static async Task WriteEnvelopeAsync(HttpResponse response, ReadOnlyMemory<byte> id, byte[] member, byte[] value, bool asSse)
    {
        response.ContentType = asSse ? "text/event-stream" : "application/json";
        if (!asSse)
        {
            response.ContentLength = s_envelopeOverhead + (id.Length == 0 ? 4 : id.Length) + member.Length + value.Length;
        }

        var writer = response.BodyWriter;
        if (asSse)
        {
            writer.Write("event: message\ndata: "u8);
        }

        writer.Write("{\"jsonrpc\":\"2.0\",\"id\":"u8);
        writer.Write(id.Length == 0 ? "null"u8 : id.Span);
        writer.Write(","u8);
        writer.Write(member);
        writer.Write(value);
        writer.Write("}"u8);
        if (asSse)
        {
            writer.Write("\n\n"u8);
        }

        await writer.FlushAsync();
    }
}
