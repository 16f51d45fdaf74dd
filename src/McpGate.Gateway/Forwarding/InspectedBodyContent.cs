using System.Net;
using System.Net.Http.Headers;
using McpGate.Gateway.Inspection;
using Microsoft.Net.Http.Headers;

namespace McpGate.Gateway.Forwarding;

/// <summary>The inspected request body, from its pooled buffer, as an upstream request's content of known length.</summary>
internal sealed class InspectedBodyContent : HttpContent
{
    private readonly PooledBody _body;

    /// <param name="body">The bytes to send.</param>
    /// <param name="headers">The content headers YARP copied from the caller's request; the length is the body's own.</param>
    public InspectedBodyContent(PooledBody body, HttpContentHeaders headers)
    {
        _body = body;
        foreach (var (name, values) in headers.NonValidated)
        {
            if (string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // Retained per write, not per content: the connection pool may send a request twice (a retry on a connection
        // the upstream had closed), and a write that starts after the exchange is over must not read a recycled buffer.
        if (!_body.TryRetain())
        {
            throw new ObjectDisposedException(nameof(InspectedBodyContent), "The request body was sent after its exchange had ended.");
        }

        try
        {
            await stream.WriteAsync(_body.Memory, cancellationToken);
        }
        finally
        {
            _body.Release();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Length;
        return true;
    }
}
