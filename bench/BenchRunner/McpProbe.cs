using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace McpGate.Bench.Runner;

/// <summary>
/// The few MCP exchanges the runner does itself: the 2025-11-25 handshake that creates the session wrk then
/// reuses, and one check per target that the measured request really succeeds (a proxy answering every request
/// with an error would otherwise look very fast).
/// </summary>
internal sealed class McpProbe(string protocol) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>How many requests this probe sent (the gate audits them too).</summary>
    public int RequestsSent { get; private set; }

    /// <summary>initialize + notifications/initialized; returns the Mcp-Session-Id the target answered with.</summary>
    public async Task<string> InitializeAsync(Uri endpoint, string token)
    {
        const string Initialize = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcpgate-bench","version":"1.0"}}}
            """;
        using var response = await SendAsync(endpoint, token, Initialize, "initialize", null, session: null, withProtocolHeader: false);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("Mcp-Session-Id", out var values))
        {
            throw new BenchException($"initialize through {endpoint} gave HTTP {(int)response.StatusCode} without a session: {Shorten(body)}");
        }

        var session = values.First();
        using var initialized = await SendAsync(
            endpoint, token, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", "notifications/initialized", null, session, withProtocolHeader: true);
        if (!initialized.IsSuccessStatusCode)
        {
            throw new BenchException($"notifications/initialized through {endpoint} gave HTTP {(int)initialized.StatusCode}");
        }

        return session;
    }

    /// <summary>The same <c>tools/call</c> wrk sends; throws unless the answer is a result.</summary>
    public async Task CheckCallAsync(Uri endpoint, string token, string? session)
    {
        const string Call = """
            {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_issue","arguments":{"owner":"acme","repo":"gateway","issue_number":4217,"include":["labels","comments"]},"_meta":{"progressToken":"bench-3"}}}
            """;
        using var message = await ReadMessageAsync(endpoint, token, Call, "tools/call", "get_issue", session);
        if (!message.RootElement.TryGetProperty("result", out _))
        {
            throw new BenchException($"tools/call get_issue through {endpoint} did not succeed: {message.RootElement.GetRawText()}");
        }
    }

    /// <summary>The same <c>tools/list</c> wrk sends; returns how many tools came back.</summary>
    public async Task<int> CheckListAsync(Uri endpoint, string token, string? session)
    {
        const string List = """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""";
        using var message = await ReadMessageAsync(endpoint, token, List, "tools/list", null, session);
        if (!message.RootElement.TryGetProperty("result", out var result) || !result.TryGetProperty("tools", out var tools))
        {
            throw new BenchException($"tools/list through {endpoint} did not succeed: {Shorten(message.RootElement.GetRawText())}");
        }

        return tools.GetArrayLength();
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> ReadMessageAsync(Uri endpoint, string token, string body, string method, string? name, string? session)
    {
        using var response = await SendAsync(endpoint, token, body, method, name, session, withProtocolHeader: true);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"{method} through {endpoint} gave HTTP {(int)response.StatusCode}: {Shorten(text)}");
        }

        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            // The response is the data of the last event that carries JSON.
            string? last = null;
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("data:", StringComparison.Ordinal) && line.Length > 6)
                {
                    last = line[5..].Trim();
                }
            }

            text = last ?? throw new BenchException($"{method} through {endpoint} gave an event stream with no data");
        }

        return JsonDocument.Parse(text);
    }

    private async Task<HttpResponseMessage> SendAsync(
        Uri endpoint, string token, string body, string method, string? name, string? session, bool withProtocolHeader)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (withProtocolHeader)
        {
            request.Headers.Add("MCP-Protocol-Version", protocol);
        }

        request.Headers.Add("Mcp-Method", method);
        if (name is not null)
        {
            request.Headers.Add("Mcp-Name", name);
        }

        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
        }

        RequestsSent++;
        return await _http.SendAsync(request);
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
