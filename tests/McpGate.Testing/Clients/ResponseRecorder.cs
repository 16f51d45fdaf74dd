namespace McpGate.Testing;

/// <summary>One HTTP exchange as the client saw it.</summary>
/// <param name="HttpMethod">GET, POST or DELETE.</param>
/// <param name="McpMethod">The request's <c>Mcp-Method</c> header (the SDK client sends it in both eras).</param>
/// <param name="StatusCode">The response status.</param>
/// <param name="ContentType">The response media type, or null when the response had no body.</param>
public sealed record RecordedExchange(string HttpMethod, string? McpMethod, int StatusCode, string? ContentType);

/// <summary>
/// A client-side handler that records each response's status and media type, for tests that must know whether
/// an answer came as JSON or as SSE. Pass it to <see cref="HttpClient"/> and that to <see cref="TestClientOptions"/>.
/// </summary>
public sealed class ResponseRecorder : DelegatingHandler
{
    private readonly Lock _gate = new();
    private readonly List<RecordedExchange> _exchanges = [];

    public ResponseRecorder()
        : base(new SocketsHttpHandler())
    {
    }

    public IReadOnlyList<RecordedExchange> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return [.. _exchanges];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var mcpMethod = request.Headers.TryGetValues("Mcp-Method", out var values) ? string.Join(",", values) : null;
        lock (_gate)
        {
            _exchanges.Add(new RecordedExchange(
                request.Method.Method, mcpMethod, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        }

        return response;
    }
}
