using System.IO.Pipelines;
using System.Text;
using McpGate.Mcp.Sse;
using McpGate.Mcp.Tests.Support;

namespace McpGate.Mcp.Tests.Sse;

public sealed class SseEventReaderTests
{
    // Shapes seen from real servers (mcp-protocol-notes.md §1.9): priming event with retry, keep-alive comment,
    // a notification, a multi-line data event, an unknown field, a field without a colon, the response.
    private const string Sample =
        "id: b4f6ce5c-1\nretry: 5000\ndata:\n\n" +
        ": keepalive\n\n" +
        "event: message\nid: e-2\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progress\":1}}\n\n" +
        "data: {\"a\":\ndata:  1}\nx-vendor: kept\n\n" +
        "data\n\n" +
        "event: message\nid: e-3\ndata: {\"result\":{\"tools\":[]},\"jsonrpc\":\"2.0\",\"id\":1}\n\n";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static async Task<List<SseEvent>> ReadAll(Stream stream)
    {
        using var reader = new SseEventReader(stream);
        var events = new List<SseEvent>();
        while (await reader.ReadAsync() is { } next)
        {
            events.Add(next);
        }

        return events;
    }

    private static Task<List<SseEvent>> ReadAll(string text) => ReadAll(new MemoryStream(Bytes(text)));

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static string Describe(SseEvent e) =>
        $"raw=[{Text(e.Raw)}] data=[{Text(e.Data)}] hasData={e.HasData} id={e.Id} event={e.EventType} retry={e.Retry} complete={e.IsComplete} lines={e.Lines.Count}";

    [Fact]
    public async Task ReadAsync_SampleStream_YieldsEveryBlockInOrder()
    {
        var events = await ReadAll(Sample);

        events.Should().HaveCount(6);
        events.Select(e => e.Id).Should().Equal("b4f6ce5c-1", null, "e-2", null, null, "e-3");
    }

    [Fact]
    public async Task ReadAsync_PrimingEvent_HasEmptyDataIdAndRetry()
    {
        var priming = (await ReadAll(Sample))[0];

        priming.HasData.Should().BeTrue();
        priming.Data.Length.Should().Be(0);
        priming.Id.Should().Be("b4f6ce5c-1");
        priming.Retry.Should().Be(5000);
    }

    [Fact]
    public async Task ReadAsync_CommentBlock_IsAnEventWithTheCommentLine()
    {
        var comment = (await ReadAll(Sample))[1];

        comment.HasData.Should().BeFalse();
        comment.Lines.Should().ContainSingle().Which.Kind.Should().Be(SseLineKind.Comment);
        Text(comment.Lines[0].Value).Should().Be(" keepalive");
    }

    [Fact]
    public async Task ReadAsync_MultiLineData_IsJoinedWithLineFeedsKeepingExtraSpaces()
    {
        var multi = (await ReadAll(Sample))[3];

        Text(multi.Data).Should().Be("{\"a\":\n 1}");
    }

    [Fact]
    public async Task ReadAsync_UnknownField_IsKeptAsALine()
    {
        var multi = (await ReadAll(Sample))[3];

        multi.Lines.Should().Contain(l => l.Name == "x-vendor" && Text(l.Value) == "kept");
    }

    [Fact]
    public async Task ReadAsync_FieldWithoutColon_IsAnEmptyValue()
    {
        var bare = (await ReadAll(Sample))[4];

        bare.HasData.Should().BeTrue();
        bare.Data.Length.Should().Be(0);
    }

    [Fact]
    public async Task ReadAsync_EventType_IsRead()
    {
        var response = (await ReadAll(Sample))[5];

        response.EventType.Should().Be("message");
        Text(response.Data).Should().StartWith("{\"result\"");
    }

    [Fact]
    public async Task ReadAsync_RawBytesOfAllEvents_ReproduceTheStream()
    {
        var events = await ReadAll(Sample);

        string.Concat(events.Select(e => Text(e.Raw))).Should().Be(Sample);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ReadAsync_EverySplitPointOfTheStream_YieldsTheSameEvents(string lineEnding)
    {
        var stream = Bytes(Sample.Replace("\n", lineEnding, StringComparison.Ordinal));
        var expected = (await ReadAll(new MemoryStream(stream))).Select(Describe).ToList();
        expected.Should().HaveCount(6);

        for (var split = 1; split < stream.Length; split++)
        {
            var events = await ReadAll(ChunkedReadStream.SplitAt(stream, split));

            events.Select(Describe).Should().Equal(expected, $"the stream was split after byte {split}");
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ReadAsync_OneByteAtATime_YieldsTheSameEvents(string lineEnding)
    {
        var stream = Bytes(Sample.Replace("\n", lineEnding, StringComparison.Ordinal));
        var expected = (await ReadAll(new MemoryStream(stream))).Select(Describe).ToList();

        var events = await ReadAll(ChunkedReadStream.ByteByByte(stream));

        events.Select(Describe).Should().Equal(expected);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ReadAsync_AnyLineEnding_ParsesTheSameFields(string lineEnding)
    {
        var events = await ReadAll(Sample.Replace("\n", lineEnding, StringComparison.Ordinal));
        var reference = await ReadAll(Sample);

        events.Select(e => (Text(e.Data), e.Id, e.EventType, e.Retry, e.Lines.Count))
            .Should().Equal(reference.Select(e => (Text(e.Data), e.Id, e.EventType, e.Retry, e.Lines.Count)));
    }

    [Fact]
    public async Task ReadAsync_MixedLineEndings_AreAllLineBreaks()
    {
        var events = await ReadAll("data: a\rdata: b\r\ndata: c\n\r\n");

        events.Should().ContainSingle();
        Text(events[0].Data).Should().Be("a\nb\nc");
    }

    [Fact]
    public async Task ReadAsync_CrLfSplitAcrossReads_IsOneLineBreak()
    {
        var events = await ReadAll(new ChunkedReadStream([Bytes("data: a\r"), Bytes("\n\r"), Bytes("\ndata: b\r\n\r\n")]));

        events.Select(e => Text(e.Raw)).Should().Equal("data: a\r\n\r\n", "data: b\r\n\r\n");
    }

    [Fact]
    public async Task ReadAsync_CrAtTheEndOfTheStream_EndsTheEvent()
    {
        var events = await ReadAll("data: a\r\r");

        events.Should().ContainSingle().Which.IsComplete.Should().BeTrue();
    }

    [Fact]
    public async Task ReadAsync_CrOnlyEventFollowedByMore_IsReturnedBeforeTheNextEventEnds()
    {
        var pipe = new Pipe();
        using var reader = new SseEventReader(pipe.Reader.AsStream());
        await pipe.Writer.WriteAsync(Bytes("data: a\r\rd"));

        var first = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Text(first!.Data).Should().Be("a");
    }

    [Fact]
    public async Task ReadAsync_EventNotYetTerminated_WaitsForTheBlankLine()
    {
        var pipe = new Pipe();
        using var reader = new SseEventReader(pipe.Reader.AsStream());
        await pipe.Writer.WriteAsync(Bytes("data: a\n"));

        var pending = reader.ReadAsync().AsTask();
        await pipe.Writer.WriteAsync(Bytes("data: b\n"));
        pending.IsCompleted.Should().BeFalse();
        await pipe.Writer.WriteAsync(Bytes("\n"));

        Text((await pending.WaitAsync(TimeSpan.FromSeconds(10)))!.Data).Should().Be("a\nb");
    }

    [Fact]
    public async Task ReadAsync_RetryThatIsNotDigits_IsIgnored()
    {
        var events = await ReadAll("retry: 10x\ndata: a\n\n");

        events[0].Retry.Should().BeNull();
    }

    [Fact]
    public async Task ReadAsync_IdContainingNul_IsIgnored()
    {
        var events = await ReadAll("id: ok\nid: a\0b\ndata: a\n\n");

        events[0].Id.Should().Be("ok");
    }

    [Fact]
    public async Task ReadAsync_EmptyId_IsAnEmptyString()
    {
        var events = await ReadAll("id\ndata: a\n\n");

        events[0].Id.Should().BeEmpty();
    }

    [Fact]
    public async Task ReadAsync_ValueWithoutSpaceAfterColon_IsReadWhole()
    {
        var events = await ReadAll("data:{\"x\":1}\n\n");

        Text(events[0].Data).Should().Be("{\"x\":1}");
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMarkAtTheStart_IsNotPartOfTheFirstFieldName()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Bytes("data: a\n\n")).ToArray();

        var events = await ReadAll(ChunkedReadStream.ByteByByte(bytes));

        Text(events.Single().Data).Should().Be("a");
        events[0].Raw.ToArray().Should().Equal(bytes);
    }

    [Fact]
    public async Task ReadAsync_ExtraBlankLines_AreKeptAsEmptyBlocks()
    {
        var events = await ReadAll("data: a\n\n\n\ndata: b\n\n");

        events.Select(e => Text(e.Raw)).Should().Equal("data: a\n\n", "\n", "\n", "data: b\n\n");
    }

    [Fact]
    public async Task ReadAsync_UnterminatedEventAtTheEnd_IsReturnedIncomplete()
    {
        var events = await ReadAll("data: a\n\ndata: b\nid: 9");

        events.Should().HaveCount(2);
        events[1].IsComplete.Should().BeFalse();
        Text(events[1].Raw).Should().Be("data: b\nid: 9");
        events[1].Id.Should().Be("9");
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_ReturnsNoEvent()
    {
        (await ReadAll(string.Empty)).Should().BeEmpty();
    }

    [Fact]
    public async Task ReadAsync_EventLargerThanTheBuffer_IsReadWhole()
    {
        var big = new string('x', 200_000);

        var events = await ReadAll(ChunkedReadStream.SplitAt(Bytes($"data: {big}\n\n"), 1000, 70_000, 150_000));

        events.Single().Data.Length.Should().Be(big.Length);
    }

    [Fact]
    public async Task ReadAsync_EventLargerThanTheCap_Throws()
    {
        using var reader = new SseEventReader(new MemoryStream(Bytes($"data: {new string('x', 5000)}\n\n")), maxEventBytes: 4096);

        var act = async () => await reader.ReadAsync();

        await act.Should().ThrowAsync<InvalidDataException>();
    }

    /// <summary>Describes each borrowed event before the next read, as its contract asks.</summary>
    private static async Task<List<string>> DescribeAllBorrowed(Stream stream)
    {
        using var reader = new SseEventReader(stream);
        var described = new List<string>();
        while (await reader.ReadBorrowedAsync() is { } next)
        {
            described.Add(Describe(next));
        }

        return described;
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task ReadBorrowedAsync_EverySplitPointOfTheStream_YieldsTheSameEventsAsReadAsync(string lineEnding)
    {
        var stream = Bytes(Sample.Replace("\n", lineEnding, StringComparison.Ordinal));
        var expected = (await ReadAll(new MemoryStream(stream))).Select(Describe).ToList();

        for (var split = 1; split < stream.Length; split++)
        {
            var described = await DescribeAllBorrowed(ChunkedReadStream.SplitAt(stream, split));

            described.Should().Equal(expected, $"the stream was split after byte {split}");
        }
    }

    [Fact]
    public async Task ReadBorrowedAsync_EventLargerThanTheBuffer_IsReadWhole()
    {
        var text = $"data: a\n\nid: 7\ndata: {new string('x', 200_000)}\n\ndata: b\n\n";
        var expected = (await ReadAll(text)).Select(Describe).ToList();

        var described = await DescribeAllBorrowed(ChunkedReadStream.SplitAt(Bytes(text), 1000, 70_000, 150_000));

        described.Should().Equal(expected);
    }
}
