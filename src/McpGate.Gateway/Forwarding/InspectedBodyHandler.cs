using McpGate.Gateway.Inspection;

namespace McpGate.Gateway.Forwarding;

/// <summary>
/// Sends the body the gate inspected from memory instead of through YARP's streaming content.
/// </summary>
/// <remarks>
/// YARP's content streams the incoming body and flushes the request headers before the first body byte, so every
/// forwarded POST leaves as two writes. The gate already holds the whole body (it had to, to inspect it), so a content
/// of known length lets the connection send headers and body in one write: on loopback that one system call less is
/// the largest single saving per call (docs/performance.md). YARP does not let a request transform replace its
/// content, so the swap happens here, below YARP and above the connection pool; YARP then sees its own content never
/// started, the same path it takes for an <c>Expect: 100-continue</c> request the upstream answered early.
/// The bytes are the inspected ones either way: the incoming body YARP would otherwise copy is a stream over the same
/// buffer (<see cref="McpGateMiddleware"/>).
/// </remarks>
internal sealed class InspectedBodyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Set by the request transform on the outgoing request whose body the gate inspected.</summary>
    public static readonly HttpRequestOptionsKey<PooledBody> BodyKey = new("McpGate.InspectedBody");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        UseInspectedBody(request);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        UseInspectedBody(request);
        return base.Send(request, cancellationToken);
    }

    private static void UseInspectedBody(HttpRequestMessage request)
    {
        if (request.Content is { } streamed && request.Options.TryGetValue(BodyKey, out var body))
        {
            request.Content = new InspectedBodyContent(body, streamed.Headers);
        }
    }
}
