namespace McpGate.Mcp.Tests.Support;

/// <summary>A write-only stream that records what had been written each time it was flushed.</summary>
internal sealed class FlushRecordingStream : Stream
{
    private readonly MemoryStream _written = new();
    private long _flushedUpTo;

    /// <summary>The bytes written between one flush and the next, one entry per flush that had new bytes.</summary>
    public List<byte[]> Flushes { get; } = [];

    public byte[] Written => _written.ToArray();

    public long UnflushedBytes => _written.Length - _flushedUpTo;

    /// <summary>Called on every flush with the bytes it flushed; lets a test feed the next upstream chunk.</summary>
    public Action<byte[]>? OnFlush { get; set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written.Length;

    public override long Position { get => _written.Length; set => throw new NotSupportedException(); }

    public override void Flush()
    {
        if (_written.Length == _flushedUpTo)
        {
            return;
        }

        var flushed = _written.ToArray()[(int)_flushedUpTo..];
        _flushedUpTo = _written.Length;
        Flushes.Add(flushed);
        OnFlush?.Invoke(flushed);
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _written.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _written.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _written.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
