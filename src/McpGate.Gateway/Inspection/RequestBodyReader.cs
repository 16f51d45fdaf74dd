using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// Reads a request body into one pooled buffer, refusing it past the cap without reading further. The gate inspects
/// these bytes and forwards these same bytes, never the client's stream again.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>Reads the body; null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var cap = (int)Math.Min(maxBytes, Array.MaxLength - 1);
        var initial = request.ContentLength is { } declared ? (int)Math.Min(declared, cap) + 1 : Math.Min(cap + 1, 16 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length > cap)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, cap + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
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

        return new RequestBody(buffer, length);
    }

    /// <summary>A stream over exactly the inspected bytes, for the forwarder.</summary>
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
