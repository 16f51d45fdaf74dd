using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// Issue 13: what the gate decides on is exactly what the upstream acts on. Each finding, replayed against a real
/// upstream built the way the official TypeScript SDK recommends (Express + body-parser, node on loopback): the
/// gate either reads the bytes as that upstream does, or refuses them. docs/security.md, "One reading".
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class OneReadingTests
{
    private const string ReaderToken = "ts-reader-token";
    private const string DevToken = "ts-dev-token";

    // UTF-7 of "},"name":"delete_file","z":{"q":" inside the path string: UTF-8 reads one name, read_file; a UTF-7
    // reader sees the string close, then a second "name" (JSON.parse keeps the last: delete_file).
    internal const string Utf7Smuggle =
        """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"x+ACIAfQAsACIAbgBhAG0AZQAiADoAIgBkAGUAbABlAHQAZQBfAGYAaQBsAGUAIgAsACIAegAiADoAewAiAHEAIgA6ACI-"}}}""";

    public static string Policy(Uri upstream) => $$"""
    {
      "mcpServers": { "ts": { "url": "{{upstream}}" } },
      "serverAuth": {
        "providers": ["bearer"],
        "bearer": { "tokens": { "{{ReaderToken}}": { "subject": "reader", "roles": ["reader"] }, "{{DevToken}}": { "subject": "dev", "roles": ["dev"] } } },
        "acl": {
          "default": "deny",
          "roles": {
            "dev": [ { "server": "*", "access": "*" } ],
            "reader": [
              { "server": "ts", "access": "read", "tools": ["*"] },
              { "server": "ts", "access": "read", "resources": ["file:///public/*"] },
              { "server": "ts", "access": "read", "prompts": ["greet"] }
            ]
          }
        }
      }
    }
    """;

    // Finding 1 (critical): body-parser decodes the charset it is given; the gate read UTF-8.
    [Theory]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=\"UTF-7\"")]
    [InlineData("application/json; charset=utf-7-imap")]
    [InlineData("application/json; charset=utf-8; charset=utf-7")]
    [InlineData("application/json;charset=UTF-7")]
    [InlineData("application/json; charset=utf-16le")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; profile=x")]
    public async Task BodyInAnotherCharset_IsRefused415_AndNothingRuns(string contentType)
    {
        await using var upstream = await TypeScriptUpstream.StartAsync();
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.ASCII.GetBytes(Utf7Smuggle), contentType, ReaderToken);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await upstream.TakeRanAsync()).Should().BeEmpty();
        gate.AuditLines().Should().ContainSingle(l => Text(l, "result") == "invalid_request");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=\"UTF-8\"")]
    public async Task Utf8Body_RunsWhatTheGateDecided_AndReachesTheUpstreamAsPlainJson(string contentType)
    {
        await using var upstream = await TypeScriptUpstream.StartAsync();
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.ASCII.GetBytes(Utf7Smuggle), contentType, ReaderToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await upstream.TakeRanAsync()).Select(r => r.Target).Should().Equal("read_file");
        var lines = await gate.WaitForAuditLinesAsync(ls => ls.Any(l => Text(l, "event") == "mcp.tool_called"));
        lines.Where(l => Text(l, "event") == "mcp.tool_called").Select(l => Text(l, "tool")).Should().Equal("read_file");
    }

    // Finding 3: a JavaScript upstream reads 9007199254740993 as ...992 and answers under that id; the stream filter
    // matched the response by id and passed the list on whole.
    [Theory]
    [InlineData("9007199254740993")]
    [InlineData("1.0")]
    [InlineData("1e0")]
    public async Task ListUnderAnIdAJavaScriptPeerReadsDifferently_NeverShowsAHiddenTool(string id)
    {
        await using var upstream = await TypeScriptUpstream.StartAsync();
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":{{id}},"method":"tools/list"}"""), "application/json", ReaderToken);

        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("delete_file");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest, "an id the upstream would echo as another is refused up front");
    }

    // Finding 4: an allowed batch ran with no audit row.
    [Fact]
    public async Task AllowedBatch_EachCallGetsItsOwnAuditRowWithItsOwnOutcome()
    {
        await using var upstream = await TypeScriptUpstream.StartAsync(TypeScriptResponseMode.Json);
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        await gate.CatalogReadyAsync("ts");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        const string batch = """
            [{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"a"}}},
             {"jsonrpc":"2.0","id":"twelve","method":"tools/call","params":{"name":"list_files","arguments":{}}},
             {"jsonrpc":"2.0","id":13,"method":"tools/call","params":{"name":"read_file","arguments":{}}}]
            """;

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes(batch), "application/json", ReaderToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await upstream.TakeRanAsync()).Select(r => r.Target).Should().Equal("read_file", "list_files");
        var lines = await gate.WaitForAuditLinesAsync(ls => ls.Count(l => Text(l, "event") == "mcp.tool_called") == 3);
        var rows = lines.Where(l => Text(l, "event") == "mcp.tool_called").Select(l => (Text(l, "jsonrpc_id"), Text(l, "tool"), Text(l, "decision"), Text(l, "result"))).ToList();
        rows.Should().BeEquivalentTo(new[]
        {
            ("11", "read_file", "allow", "ok"),
            ("twelve", "list_files", "allow", "ok"),
            ("13", "read_file", "allow", "tool_error"), // the SDK refused the missing argument: the call's own outcome
        });
        lines.Where(l => Text(l, "event") == "mcp.tool_called").Select(l => Text(l, "decision_id")).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task RefusedBatch_AuditsTheAllowedCallsItDidNotRunToo()
    {
        await using var upstream = await TypeScriptUpstream.StartAsync();
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        await gate.CatalogReadyAsync("ts");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        const string batch = """
            [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"a"}}},
             {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"a"}}}]
            """;

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes(batch), "application/json", ReaderToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await upstream.TakeRanAsync()).Should().BeEmpty();
        gate.AuditLines().Where(l => Text(l, "event") == "mcp.tool_called").Select(l => (Text(l, "tool"), Text(l, "decision"), Text(l, "result")))
            .Should().BeEquivalentTo(new[] { ("read_file", "allow", "batch_refused"), ("delete_file", "deny", "capability_denied") });
    }

    // Finding 5: the caller's Accept-Encoding reached a compressing upstream, whose gzip event stream the filter could
    // not read and passed on whole.
    [Theory]
    [InlineData(TypeScriptResponseMode.Sse)]
    [InlineData(TypeScriptResponseMode.Json)]
    public async Task CompressingUpstream_IsAskedForIdentity_SoItsListIsFiltered(TypeScriptResponseMode mode)
    {
        await using var upstream = await TypeScriptUpstream.StartAsync(mode, TypeScriptCompression.Negotiated);
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":5,"method":"tools/list"}"""), "application/json", ReaderToken, acceptEncoding: "gzip, br");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.Should().BeEmpty();
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("read_file").And.NotContain("delete_file");
    }

    [Theory]
    [InlineData(TypeScriptResponseMode.Sse)]
    [InlineData(TypeScriptResponseMode.Json)]
    public async Task UpstreamThatCompressesAnyway_ListIsRefusedWithAnErrorForTheRequest(TypeScriptResponseMode mode)
    {
        await using var upstream = await TypeScriptUpstream.StartAsync(mode, TypeScriptCompression.Forced);
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":5,"method":"tools/list"}"""), "application/json", ReaderToken, acceptEncoding: "gzip");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().NotContain("delete_file");
        using var error = JsonDocument.Parse(body);
        error.RootElement.GetProperty("id").GetInt32().Should().Be(5);
        error.RootElement.GetProperty("error").GetProperty("message").GetString().Should().Be("upstream_error");
    }

    // 2026-07-28 (the TypeScript SDK does not speak it yet; the C# SDK does): list results carry cache hints, and what
    // the gate shows depends on who asked.
    [Fact]
    public async Task ListFor2026Caller_SaysCacheScopePrivate()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("files"), Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"""),
            "application/json", GatePolicies.BobToken, headers: new() { ["MCP-Protocol-Version"] = "2026-07-28", ["Mcp-Method"] = "tools/list" });

        var reply = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, reply);
        var result = ResponseResult(reply);
        result.GetProperty("cacheScope").GetString().Should().Be("private");
        result.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Should().NotContain("delete_file");
    }

    [Theory]
    [InlineData(TypeScriptResponseMode.Json)]
    [InlineData(TypeScriptResponseMode.Sse)]
    public async Task ListAnUpstreamMarksPublic_ReachesTheCallerMarkedPrivate(TypeScriptResponseMode mode)
    {
        await using var upstream = await TypeScriptUpstream.StartAsync(mode, cacheScope: "public");
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":5,"method":"tools/list"}"""), "application/json", ReaderToken);

        var result = ResponseResult(await response.Content.ReadAsStringAsync());
        result.GetProperty("cacheScope").GetString().Should().Be("private");
        result.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Should().NotContain("delete_file");
    }

    // Mcp-Param-* mirror tool arguments; 2026-07-28 servers check them against the body, so they pass on.
    [Theory]
    [InlineData("2026-07-28", true)]
    [InlineData("2025-11-25", false)]
    public async Task McpParamHeaders_PassOnlyWhereTheUpstreamValidatesThem(string version, bool forwarded)
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await gate.CatalogReadyAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var response = await PostAsync(http, gate.McpUrl("files"),
            Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"/public/notes.txt"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}"""),
            "application/json", GatePolicies.BobToken,
            headers: new() { ["MCP-Protocol-Version"] = version, ["Mcp-Method"] = "tools/call", ["Mcp-Name"] = "read_file", ["Mcp-Param-Region"] = "us-west1" });

        var seen = upstream.Spy.Requests.Should().ContainSingle(r => r.ToolName == "read_file").Subject;
        seen.Header("Mcp-Param-Region").Should().Be(forwarded ? "us-west1" : null);
    }

    private static JsonElement ResponseResult(string body)
    {
        var json = body.TrimStart().StartsWith('{')
            ? body
            : string.Join('\n', body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal) && l.Contains("\"result\"", StringComparison.Ordinal)).Select(l => l[5..]));
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("result").Clone();
    }

    internal static async Task<HttpResponseMessage> PostAsync(
        HttpClient http, Uri url, byte[] body, string contentType, string token, string? acceptEncoding = null, Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request);
    }

    internal static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } : null;
}
