using System.IO.Pipelines;
using System.Text;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Mcp.Tests.Support;

namespace McpGate.Mcp.Tests.Lists;

public sealed class SseListFilterTests
{
    private const string Priming = "id: 0-prime\nretry: 5000\ndata:\n\n";
    private const string KeepAlive = ": keepalive\n\n";
    private const string Notification =
        "event: message\nid: 1-note\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{\"level\":\"info\",\"data\":\"delete_file\"}}\n\n";
    private const string ServerRequest =
        "event: message\nid: 2-req\ndata: {\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"roots/list\"}\n\n";
    private const string Response =
        "event: message\nid: 3-resp\ndata: {\"result\":{\"tools\":[{\"name\":\"read_file\"},{\"name\":\"delete_file\"}],\"nextCursor\":\"n\"},\"jsonrpc\":\"2.0\",\"id\":7}\n\n";
    private const string FilteredResponse =
        "event: message\nid: 3-resp\ndata: {\"result\":{\"tools\":[{\"name\":\"read_file\"}],\"nextCursor\":\"n\"},\"jsonrpc\":\"2.0\",\"id\":7}\n\n";

    private static readonly JsonRpcId s_requestId = JsonRpcId.FromNumber(7);

    private static async Task<(string Output, List<ListFilterOutcome> Outcomes, FlushRecordingStream Client)> Copy(
        string upstream, JsonRpcId requestId, ListKind kind = ListKind.Tools, params string[] hidden)
    {
        var client = new FlushRecordingStream();
        var outcomes = new List<ListFilterOutcome>();
        await SseListFilter.CopyAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(upstream)),
            client,
            requestId,
            kind,
            new TestVisibility(hidden.Length == 0 ? ["delete_file"] : hidden),
            outcome =>
            {
                outcomes.Add(outcome);
                return ValueTask.CompletedTask;
            },
            privateCache: false,
            CancellationToken.None);
        return (Encoding.UTF8.GetString(client.Written), outcomes, client);
    }

    [Fact]
    public async Task CopyAsync_TypicalStream_RewritesOnlyTheResponseAndKeepsTheRestInOrder()
    {
        var (output, _, _) = await Copy(Priming + KeepAlive + Notification + ServerRequest + Response, s_requestId);

        output.Should().Be(Priming + KeepAlive + Notification + ServerRequest + FilteredResponse);
    }

    [Fact]
    public async Task CopyAsync_EachEvent_IsFlushedOnItsOwn()
    {
        var (_, _, client) = await Copy(Priming + KeepAlive + Notification + Response, s_requestId);

        client.Flushes.Select(f => Encoding.UTF8.GetString(f)).Should().Equal(Priming, KeepAlive, Notification, FilteredResponse);
    }

    [Fact]
    public async Task CopyAsync_NextUpstreamEventNotYetSent_EarlierEventsAreAlreadyFlushed()
    {
        var upstream = new Pipe();
        var client = new FlushRecordingStream();
        var flushed = new SemaphoreSlim(0);
        client.OnFlush = _ => flushed.Release();
        var copy = SseListFilter.CopyAsync(upstream.Reader.AsStream(), client, s_requestId, ListKind.Tools, new TestVisibility("delete_file"), null, false, CancellationToken.None);

        foreach (var sseEvent in new[] { Priming, Notification, Response })
        {
            await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(sseEvent));
            (await flushed.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue($"the event was flushed while the upstream stream was still open: {sseEvent}");
        }

        await upstream.Writer.CompleteAsync();
        await copy.WaitAsync(TimeSpan.FromSeconds(10));
        client.Flushes.Should().HaveCount(3);
    }

    [Fact]
    public async Task CopyAsync_ResponseSplitAcrossManyReads_IsStillFilteredOnce()
    {
        var bytes = Encoding.UTF8.GetBytes(Priming + Response);
        var client = new FlushRecordingStream();

        await SseListFilter.CopyAsync(ChunkedReadStream.ByteByByte(bytes), client, s_requestId, ListKind.Tools, new TestVisibility("delete_file"), null, false, CancellationToken.None);

        client.Flushes.Select(f => Encoding.UTF8.GetString(f)).Should().Equal(Priming, FilteredResponse);
    }

    // Issue 13, finding 3: a JavaScript upstream echoes 9007199254740993 as 9007199254740992; the list came back under
    // an id the gate did not match and passed unfiltered. Every list-shaped event is filtered, whatever its id.
    [Theory]
    [InlineData("8")]
    [InlineData("9007199254740992")]
    [InlineData("\"7\"")]
    public async Task CopyAsync_ListResponseUnderAnotherId_IsFilteredAndReportedToo(string echoedId)
    {
        var echoed = Response.Replace("\"id\":7", "\"id\":" + echoedId, StringComparison.Ordinal);

        var (output, outcomes, _) = await Copy(Priming + echoed, s_requestId);

        output.Should().Be(Priming + FilteredResponse.Replace("\"id\":7", "\"id\":" + echoedId, StringComparison.Ordinal));
        outcomes.Should().ContainSingle().Which.Hidden.Should().Equal("delete_file");
    }

    [Fact]
    public async Task CopyAsync_TwoListEvents_BothAreFiltered()
    {
        var (output, outcomes, _) = await Copy(Response + Response.Replace("\"id\":7", "\"id\":8", StringComparison.Ordinal), s_requestId);

        output.Should().NotContain("delete_file");
        outcomes.Should().HaveCount(2);
    }

    [Fact]
    public async Task CopyAsync_MatchingResponse_ReportsTheOutcomeOnce()
    {
        var (_, outcomes, _) = await Copy(Priming + Notification + Response, s_requestId);

        outcomes.Should().ContainSingle();
        outcomes[0].Hidden.Should().Equal("delete_file");
        outcomes[0].Tools.Select(t => t.Name).Should().Equal("read_file", "delete_file");
    }

    [Fact]
    public async Task CopyAsync_Outcome_IsReportedBeforeTheResponseReachesTheClient()
    {
        var client = new FlushRecordingStream();
        var writtenWhenReported = -1L;

        await SseListFilter.CopyAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(Priming + Response)),
            client,
            s_requestId,
            ListKind.Tools,
            new TestVisibility("delete_file"),
            _ =>
            {
                writtenWhenReported = client.Length;
                return ValueTask.CompletedTask;
            },
            privateCache: false,
            CancellationToken.None);

        writtenWhenReported.Should().Be(Encoding.UTF8.GetByteCount(Priming));
    }

    [Fact]
    public async Task CopyAsync_NothingHidden_ResponseIsByteIdenticalAndStillReported()
    {
        var (output, outcomes, _) = await Copy(Priming + Response, s_requestId, ListKind.Tools, "nothing");

        output.Should().Be(Priming + Response);
        outcomes.Should().ContainSingle().Which.Kept.Should().Be(2);
    }

    [Fact]
    public async Task CopyAsync_ErrorResponse_PassesUnchanged()
    {
        const string error = "data: {\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}\n\n";

        var (output, outcomes, _) = await Copy(Priming + error, s_requestId);

        output.Should().Be(Priming + error);
        outcomes.Should().BeEmpty();
    }

    [Fact]
    public async Task CopyAsync_CrLfStream_KeepsItsLineEndingsInTheRewrittenEvent()
    {
        var upstream = (Priming + Response).Replace("\n", "\r\n", StringComparison.Ordinal);

        var (output, _, _) = await Copy(upstream, s_requestId);

        output.Should().Be((Priming + FilteredResponse).Replace("\n", "\r\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CopyAsync_UnreadableData_IsReplacedByAnErrorForTheRequest()
    {
        const string broken = "id: 9\ndata: {\"result\":{\"tools\":[{\"name\":\"delete_file\"}]},\"jsonrpc\":\"2.0\",\"id\":7,}\n\n";

        var (output, outcomes, _) = await Copy(Priming + broken, s_requestId);

        output.Should().Be(Priming + "id: 9\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,\"message\":\"upstream_list_unreadable\"}}\n\n");
        outcomes.Should().ContainSingle().Which.IsMalformed.Should().BeTrue();
    }

    [Fact]
    public async Task CopyAsync_PromptsList_IsFilteredByPromptName()
    {
        const string prompts = "data: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"prompts\":[{\"name\":\"secret\"},{\"name\":\"ok\"}]}}\n\n";

        var (output, _, _) = await Copy(prompts, s_requestId, ListKind.Prompts, "secret");

        output.Should().Be("data: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"prompts\":[{\"name\":\"ok\"}]}}\n\n");
    }

    [Fact]
    public async Task CopyAsync_UnterminatedLastEvent_IsPassedOnUnchanged()
    {
        const string tail = "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}\n";

        var (output, _, _) = await Copy(Priming + tail, s_requestId);

        output.Should().Be(Priming + tail);
    }

    [Fact]
    public async Task CopyAsync_UnterminatedLastEventHoldingTheList_IsFilteredToo()
    {
        var (output, _, _) = await Copy(Response.TrimEnd('\n'), s_requestId);

        output.Should().Be(FilteredResponse.TrimEnd('\n') + "\n");
    }
}
