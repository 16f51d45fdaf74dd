using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpGate.Testing;

/// <summary>
/// Sits in front of <c>MapMcp</c>: records each request (body buffered, then rewound for the SDK) and, when asked to,
/// answers the next requests with an HTTP error instead of letting the SDK see them.
/// </summary>
internal sealed class SpyMiddleware(UpstreamSpy spy, FailureInjector failures)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        request.EnableBuffering();
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        request.Body.Position = 0;
        var body = buffer.ToArray();

        spy.RecordRequest(Observe(request, body));

        if (failures.TryTake(out var status))
        {
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                $"{{\"error\":\"injected failure\",\"status\":{(int)status}}}", context.RequestAborted);
            return;
        }

        var sessionId = request.Headers["Mcp-Session-Id"].ToString();
        if (HttpMethods.IsGet(request.Method) && sessionId.Length > 0)
        {
            var original = context.Response.Body;
            context.Response.Body = new FirstWriteSignalStream(original, () => spy.RecordListenStreamWrite(sessionId));
            try
            {
                await next();
            }
            finally
            {
                context.Response.Body = original;
            }

            return;
        }

        await next();
    }

    private static ObservedRequest Observe(HttpRequest request, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        string? method = null, id = null, toolName = null, uri = null, promptName = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var message = document.RootElement;
                if (message.ValueKind == JsonValueKind.Array && message.GetArrayLength() > 0)
                {
                    message = message[0];
                }

                if (message.ValueKind == JsonValueKind.Object)
                {
                    method = StringProperty(message, "method");
                    id = message.TryGetProperty("id", out var idElement) ? idElement.GetRawText() : null;
                    if (message.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
                    {
                        toolName = method == "tools/call" ? StringProperty(parameters, "name") : null;
                        promptName = method == "prompts/get" ? StringProperty(parameters, "name") : null;
                        uri = StringProperty(parameters, "uri");
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON: tests that send garbage still see the raw bytes.
            }
        }

        return new ObservedRequest(
            request.Method, request.Path.Value ?? "", method, id, toolName, uri, promptName, headers, body);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>Counts down the requests that should fail with an injected status.</summary>
internal sealed class FailureInjector
{
    private readonly Lock _gate = new();
    private HttpStatusCode _status;
    private int _remaining;

    public void FailNext(HttpStatusCode status, int count)
    {
        lock (_gate)
        {
            _status = status;
            _remaining = count;
        }
    }

    public bool TryTake(out HttpStatusCode status)
    {
        lock (_gate)
        {
            status = _status;
            if (_remaining <= 0)
            {
                return false;
            }

            _remaining--;
            return true;
        }
    }
}
