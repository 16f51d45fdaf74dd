namespace McpGate.Gateway.Forwarding;

/// <summary>
/// A pass-through response stream that notices <c>notifications/tools/list_changed</c> in what YARP relays, so the
/// tool catalog is refreshed (docs/gateway.md, "The tool catalog") while YARP's own copier keeps the stream's timing
/// and flushing. The match survives the pattern being split across writes.
/// </summary>
internal sealed class ListChangedWatchStream(Stream inner, Action onListChanged) : Stream
{
    private static ReadOnlySpan<byte> Pattern => "notifications/tools/list_changed"u8;

    // The last bytes of the previous write, enough to complete a match that straddles two writes.
    private readonly byte[] _carry = new byte[Pattern.Length - 1];
    private int _carryLength;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Observe(buffer.AsSpan(offset, count));
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Observe(buffer);
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Observe(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Observe(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        var seen = chunk.IndexOf(Pattern) >= 0;
        if (!seen && _carryLength > 0)
        {
            Span<byte> seam = stackalloc byte[2 * (Pattern.Length - 1)];
            _carry.AsSpan(0, _carryLength).CopyTo(seam);
            var head = chunk[..Math.Min(chunk.Length, Pattern.Length - 1)];
            head.CopyTo(seam[_carryLength..]);
            seen = seam[..(_carryLength + head.Length)].IndexOf(Pattern) >= 0;
        }

        if (chunk.Length >= _carry.Length)
        {
            chunk[^_carry.Length..].CopyTo(_carry);
            _carryLength = _carry.Length;
        }
        else
        {
            // Keep the newest bytes: shift what still fits, then append this short chunk.
            var keep = Math.Min(_carryLength, _carry.Length - chunk.Length);
            _carry.AsSpan(_carryLength - keep, keep).CopyTo(_carry);
            chunk.CopyTo(_carry.AsSpan(keep));
            _carryLength = keep + chunk.Length;
        }

        if (seen)
        {
            onListChanged();
        }
    }
}
