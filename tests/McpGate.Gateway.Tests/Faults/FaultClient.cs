using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>What a caller saw: the status, the body as far as it arrived, and whether the stream broke off.</summary>
internal sealed record FaultAnswer(HttpStatusCode Status, string Body, bool BrokeOff, TimeSpan Elapsed, string? RetryAfter = null)
{
    /// <summary>The JSON-RPC error of the answer (<c>error.code</c>, <c>error.message</c>, <c>id</c> as raw JSON).</summary>
    public (int Code, string Message, string Id) Error
    {
        get
        {
            using var document = JsonDocument.Parse(Body);
            var error = document.RootElement.GetProperty("error");
            return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!, document.RootElement.GetProperty("id").GetRawText());
        }
    }
}

/// <summary>Raw JSON-RPC POSTs to a gate, with a bounded wait: a fault must never become a hang.</summary>
internal static class FaultClient
{
    public static async Task<FaultAnswer> PostAsync(RunningGate gate, string token, string json, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, gate.McpUrl("files"))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        var started = DateTime.UtcNow;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = new StringBuilder();
        var brokeOff = false;
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var buffer = new char[4096];
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                body.Append(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            brokeOff = true;
        }

        return new FaultAnswer(response.StatusCode, body.ToString(), brokeOff, DateTime.UtcNow - started, response.Headers.RetryAfter?.ToString());
    }

    public static async Task<HttpStatusCode> HealthAsync(RunningGate gate)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(gate.BaseUrl, "/healthz"));
        return response.StatusCode;
    }

    public static async Task<JsonElement> ReadinessAsync(RunningGate gate)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(new Uri(gate.BaseUrl, "/readyz"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static string ToolCall(int id, string tool) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + ",\"method\":\"tools/call\",\"params\":{" + Meta + ",\"name\":\"" + tool + "\",\"arguments\":{\"path\":\"/public/notes.txt\"}}}";

    public static string ToolsList(int id) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"method\":\"tools/list\",\"params\":{" + Meta + "}}";

    // Stateless 2026-07-28 requests carry the protocol version in _meta (the SDK upstream insists).
    private const string Meta = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"},\"io.modelcontextprotocol/clientCapabilities\":{}}";
}
