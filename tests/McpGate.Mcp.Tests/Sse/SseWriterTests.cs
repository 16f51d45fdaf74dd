using System.Buffers;
using System.Text;
using McpGate.Mcp.Sse;

namespace McpGate.Mcp.Tests.Sse;

public sealed class SseWriterTests
{
    private static async Task<SseEvent> ReadOne(string text)
    {
        using var reader = new SseEventReader(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        return (await reader.ReadAsync())!;
    }

    private static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public async Task WriteWithData_KeepsEveryOtherLineAndLineEndingInPlace()
    {
        var sseEvent = await ReadOne("event: message\r\nid: e-3\r\n: c\r\ndata: {\"old\":\r\ndata: 1}\r\nx-vendor: v\r\n\r\n");

        Written(o => SseWriter.WriteWithData(o, sseEvent, "{\"new\":2}"u8))
            .Should().Be("event: message\r\nid: e-3\r\n: c\r\ndata: {\"new\":2}\r\nx-vendor: v\r\n\r\n");
    }

    [Fact]
    public async Task WriteWithData_DataWithLineBreaks_BecomesSeveralDataLines()
    {
        var sseEvent = await ReadOne("data:x\n\n");

        Written(o => SseWriter.WriteWithData(o, sseEvent, "{\r\n\"a\":1\n}"u8)).Should().Be("data:{\ndata:\"a\":1\ndata:}\n\n");
    }

    [Fact]
    public async Task WriteWithData_RoundTripsTheNewDataThroughTheReader()
    {
        var sseEvent = await ReadOne("id: 4\ndata: old\n\n");
        var rewritten = Written(o => SseWriter.WriteWithData(o, sseEvent, "line1\nline2"u8));

        var reread = await ReadOne(rewritten);

        Encoding.UTF8.GetString(reread.Data.Span).Should().Be("line1\nline2");
        reread.Id.Should().Be("4");
    }

    [Fact]
    public async Task WriteWithData_EventWithoutData_GetsADataLineBeforeTheBlankLine()
    {
        var sseEvent = await ReadOne("id: 5\n\n");

        Written(o => SseWriter.WriteWithData(o, sseEvent, "{}"u8)).Should().Be("id: 5\ndata: {}\n\n");
    }
}
