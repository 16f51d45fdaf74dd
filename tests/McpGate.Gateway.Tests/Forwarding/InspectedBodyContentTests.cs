using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using McpGate.Gateway.Forwarding;
using McpGate.Gateway.Inspection;

namespace McpGate.Gateway.Tests.Forwarding;

/// <summary>The inspected body as the upstream request's content: same bytes every time, never a recycled buffer.</summary>
public sealed class InspectedBodyContentTests
{
    private static readonly byte[] s_call = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"/public/notes.txt"}}}""");

    [Fact]
    public async Task SentTwice_AsOnARetriedConnection_SendsTheSameBytesBothTimes()
    {
        using var body = await ReadAsync(s_call);
        using var content = new InspectedBodyContent(body, new ByteArrayContent([]).Headers);

        var first = await SendAsync(content);
        var second = await SendAsync(content);

        first.Should().Equal(s_call);
        second.Should().Equal(s_call);
    }

    [Fact]
    public async Task KeepsTheCallersContentHeaders_ButTakesItsLengthFromTheBody()
    {
        using var body = await ReadAsync(s_call);
        using var callers = new ByteArrayContent(new byte[999]);
        callers.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
        callers.Headers.ContentLanguage.Add("en");
        callers.Headers.ContentLength = 999;

        using var content = new InspectedBodyContent(body, callers.Headers);

        content.Headers.ContentType!.ToString().Should().Be("application/json; charset=utf-8");
        content.Headers.ContentLanguage.Should().Equal("en");
        content.Headers.ContentLength.Should().Be(s_call.Length);
    }

    [Fact]
    public async Task AWriteStartedAfterTheExchangeEnded_SendsNothing()
    {
        var body = await ReadAsync(s_call);
        using var content = new InspectedBodyContent(body, new ByteArrayContent([]).Headers);
        body.Dispose();

        using var sink = new MemoryStream();
        var send = () => content.CopyToAsync(sink);

        (await send.Should().ThrowAsync<HttpRequestException>()).WithInnerException<ObjectDisposedException>();
        sink.Length.Should().Be(0);
    }

    [Fact]
    public async Task AWriteInProgress_KeepsTheBufferFromTheNextRequest_UntilItEnds()
    {
        var body = await ReadAsync(s_call);
        using var content = new InspectedBodyContent(body, new ByteArrayContent([]).Headers);
        var connection = new StalledWriteStream();
        var send = content.CopyToAsync(connection);
        var writing = await connection.WriteStarted;

        // The exchange ends (an HTTP/2 upstream answered early) while the connection still reads the body; the next
        // request rents a buffer of the same size and fills it.
        body.Dispose();
        var next = ArrayPool<byte>.Shared.Rent(writing.Length);
        next.AsSpan().Fill((byte)'X');

        writing.ToArray().Should().Equal(s_call, "the body being written is not the next request's buffer");
        body.TryRetain().Should().BeTrue("the write still holds the buffer");
        body.Release();

        connection.FinishWrite();
        await send;
        body.TryRetain().Should().BeFalse("the buffer went back to the pool once the write ended");
        ArrayPool<byte>.Shared.Return(next);
    }

    private static async Task<PooledBody> ReadAsync(byte[] bytes)
        => (await PooledBody.ReadAsync(new MemoryStream(bytes), bytes.Length, 1 << 20, CancellationToken.None))!;

    private static async Task<byte[]> SendAsync(HttpContent content)
    {
        using var sink = new MemoryStream();
        await content.CopyToAsync(sink);
        return sink.ToArray();
    }

    /// <summary>A connection whose write does not finish until the test says so.</summary>
    private sealed class StalledWriteStream : Stream
    {
        private readonly TaskCompletionSource<ReadOnlyMemory<byte>> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ReadOnlyMemory<byte>> WriteStarted => _started.Task;

        public void FinishWrite() => _finish.SetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _started.SetResult(buffer);
            await _finish.Task;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
