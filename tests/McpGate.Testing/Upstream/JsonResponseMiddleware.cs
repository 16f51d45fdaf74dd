using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace McpGate.Testing;

/// <summary>
/// Makes the SDK server answer like a JSON-response upstream (the TS SDK's <c>enableJsonResponse</c>): a POST whose
/// SSE stream holds only the JSON-RPC response is answered with that response as <c>application/json</c>.
/// Streams that hold anything else pass through as SSE. The SSE is buffered, so a 2025-era tool that sends a
/// server-to-client request on its POST stream (ask_user, summarize_with_llm) cannot complete in this mode.
/// </summary>
internal static class JsonResponseMiddleware
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await next();
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
        }

        var bytes = buffer.ToArray();
        if (context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true &&
            SingleResponse(bytes) is { } json)
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = json.Length;
            await original.WriteAsync(json, context.RequestAborted);
            return;
        }

        await original.WriteAsync(bytes, context.RequestAborted);
    }

    private static byte[]? SingleResponse(byte[] sse)
    {
        var payloads = new List<string>();
        foreach (var block in Encoding.UTF8.GetString(sse).Replace("\r\n", "\n", StringComparison.Ordinal)
                     .Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = string.Join('\n', block.Split('\n')
                .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
                .Select(line => line[5..].TrimStart(' ')));
            if (data.Length > 0)
            {
                payloads.Add(data);
            }
        }

        if (payloads.Count != 1)
        {
            return null;
        }

        using var document = JsonDocument.Parse(payloads[0]);
        var message = document.RootElement;
        var isResponse = message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out _) &&
            !message.TryGetProperty("method", out _);
        return isResponse ? Encoding.UTF8.GetBytes(payloads[0]) : null;
    }
}
