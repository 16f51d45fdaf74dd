using System.Buffers;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// A whole HTTP body in one pooled buffer, read with a cap and never past it. The gate reads request bodies this way
/// (it inspects these bytes and forwards these same bytes, never the client's stream again) and the JSON responses it
/// must rewrite or observe. Sized from Content-Length, so a body is read without regrowth and without a large-object
/// allocation per request.
/// </summary>
/// <remarks>
/// The buffer goes back to the pool when the reader has disposed it and every <see cref="TryRetain"/> has been
/// <see cref="Release"/>d: a request body is also sent by the upstream connection, which can still be writing it when
/// the exchange is over (an HTTP/2 upstream that answered before the body was sent), and a pooled buffer handed to the
/// next request while a write still reads it would send that request's bytes to this upstream.
/// </remarks>
internal sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    // The reader's reference plus one per retained writer; the buffer is returned when this reaches zero.
    private int _references = 1;
    private bool _disposed;

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

    /// <summary>Keeps the buffer out of the pool until <see cref="Release"/>; false once it has already gone back.</summary>
    public bool TryRetain()
    {
        var references = Volatile.Read(ref _references);
        while (references > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, references + 1, references);
            if (seen == references)
            {
                return true;
            }

            references = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Releases the reader's reference, once.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Release();
        }
    }
}
