using System.Buffers;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// A whole HTTP body in one pooled buffer, read with a cap and never past it. The gate reads request bodies this way
/// (it inspects these bytes and forwards these same bytes, never the client's stream again) and the JSON responses it
/// must rewrite or observe. Sized from Content-Length, so a body is read without regrowth and without a large-object
/// allocation per request.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads <paramref name="stream"/> to its end; null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static async ValueTask<PooledBody?> ReadAsync(Stream stream, long? declaredLength, long maxBytes, CancellationToken cancellationToken)
    {
        var cap = (int)Math.Min(maxBytes, Array.MaxLength - 1);

        // One byte more than declared, so the read that meets the end needs no larger buffer.
        var initial = declaredLength is { } declared ? (int)Math.Min(declared, cap) + 1 : Math.Min(cap + 1, 16 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, cap + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return new PooledBody(buffer, length);
                }

                length += read;
                if (length > cap)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return null;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>A read-only stream over exactly these bytes, for the forwarder.</summary>
    public Stream AsStream() => new MemoryStream(_buffer!, 0, Length, writable: false);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
