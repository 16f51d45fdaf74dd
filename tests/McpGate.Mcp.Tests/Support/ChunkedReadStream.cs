namespace McpGate.Mcp.Tests.Support;

/// <summary>A read-only stream that hands out the given chunks one read at a time, as a network would.</summary>
internal sealed class ChunkedReadStream : Stream
{
    private readonly Queue<byte[]> _chunks;
    private byte[] _current = [];
    private int _offset;

    public ChunkedReadStream(IEnumerable<byte[]> chunks)
    {
        _chunks = new Queue<byte[]>(chunks);
    }

    public int Reads { get; private set; }

    public static ChunkedReadStream SplitAt(byte[] data, params int[] offsets)
    {
        var chunks = new List<byte[]>();
        var start = 0;
        foreach (var offset in offsets)
        {
            chunks.Add(data[start..offset]);
            start = offset;
        }

        chunks.Add(data[start..]);
        return new ChunkedReadStream(chunks);
    }

    public static ChunkedReadStream ByteByByte(byte[] data) => new(data.Select(b => new[] { b }));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        while (_offset == _current.Length)
        {
            if (!_chunks.TryDequeue(out var next))
            {
                return 0;
            }

            _current = next;
            _offset = 0;
        }

        var count = Math.Min(buffer.Length, _current.Length - _offset);
        _current.AsSpan(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
