using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>One JSON-RPC POST as raw HTTP, for tests that must see exactly what came back on the wire.</summary>
internal static class GateHttp
{
    public static async Task<JsonRpcReply> PostAsync(HttpClient http, Uri url, string json, string? token, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return new JsonRpcReply(response.StatusCode, mediaType, body, ResponseMessage(mediaType, body));
    }

    /// <summary>The JSON-RPC response in a JSON body, or the response event of an SSE body.</summary>
    private static JsonElement? ResponseMessage(string? mediaType, string body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        if (mediaType == "application/json")
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }

        if (mediaType != "text/event-stream")
        {
            return null;
        }

        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var data = string.Join('\n', block.Split('\n')
                .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
                .Select(line => line[5..].TrimStart(' ')));
            if (data.Length == 0)
            {
                continue;
            }

            using var document = JsonDocument.Parse(data);
            var message = document.RootElement;
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out _)
                && (message.TryGetProperty("result", out _) || message.TryGetProperty("error", out _)))
            {
                return message.Clone();
            }
        }

        return null;
    }
}

/// <param name="Status">The HTTP status.</param>
/// <param name="MediaType">The response's media type, or null when it had no body.</param>
/// <param name="Body">The raw body text.</param>
/// <param name="Message">The JSON-RPC response (from JSON or from the SSE response event), when there is one.</param>
internal sealed record JsonRpcReply(HttpStatusCode Status, string? MediaType, string Body, JsonElement? Message)
{
    public JsonElement Result => Message!.Value.GetProperty("result");

    public JsonElement Error => Message!.Value.GetProperty("error");
}
