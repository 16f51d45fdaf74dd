using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// gateway.md §1.2 steps 1–6 and 9: each hostile request is refused or answered by the gate, and the upstream never
/// executes what the caller may not run.
/// </summary>
[Trait("Category", "Network")]
public sealed class HostileInputTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private RunningGate _gate = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Both });
        _gate = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl, "\"limits\": { \"maxRequestBytes\": 4096 }"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gate.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task DuplicateMethodKey_IsRejected_AndNothingIsForwarded()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{"name":"delete_file","arguments":{}}}""");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ErrorCodeAsync(response)).Should().Be(-32600);
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task DuplicateToolNameKey_IsRejected_AndNothingIsForwarded()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","name":"delete_file","arguments":{}}}""");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task EscapedMethodName_IsDecidedAsTheMethodItSpells()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":7,"method":"tools\u002fcall","params":{"name":"delete\u005ffile","arguments":{"path":"x"}}}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("id").GetInt32().Should().Be(7);
        body.RootElement.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32003);
        body.RootElement.GetProperty("error").GetProperty("data").GetProperty("tool").GetString().Should().Be("delete_file");
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task BatchHidingADeniedCall_IsAnsweredByTheGate_AndNothingIsForwarded()
    {
        var response = await PostAsync("""
            [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"a"}}},
             {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"a"}}}]
            """);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetArrayLength().Should().Be(2);
        body.RootElement[0].GetProperty("error").GetProperty("message").GetString().Should().Be("batch_refused");
        body.RootElement[1].GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32003);
        _upstream.Spy.Requests.Should().NotContain(r => r.IsBatch);
        _upstream.Spy.ExecutedToolCount("read_file").Should().Be(0);
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task GzipBody_IsRefusedWith415()
    {
        var json = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{}}}""");
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(json);
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await SendAsync(content);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWith413()
    {
        var padding = new string('x', 8192);
        var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{"pad":"PAD"}}}""".Replace("PAD", padding, StringComparison.Ordinal));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task OversizedChunkedBody_IsRefusedWith413()
    {
        var padding = new string('x', 8192);
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{"pad":"PAD"}}}""".Replace("PAD", padding, StringComparison.Ordinal))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _gate.McpUrl("files")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatePolicies.BobToken);

        var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task McpNameHeaderThatDisagreesWithTheBody_IsRejectedWith400()
    {
        var response = await PostAsync(
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{}}}""",
            headers: new() { ["Mcp-Method"] = "tools/call", ["Mcp-Name"] = "read_file" },
            token: GatePolicies.AliceToken);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ErrorCodeAsync(response)).Should().Be(-32020);
        AssertDeleteNeverReachedUpstream();
    }

    [Fact]
    public async Task SessionIdReplayedByAnotherSubject_IsRefusedWith404()
    {
        await using var alice = await GateClients.ConnectAsync(_gate, GatePolicies.AliceToken, UpstreamEra.Stateful2025);
        alice.SessionId.Should().NotBeNullOrEmpty();
        _upstream.Spy.Clear();

        var response = await PostAsync(
            """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"x"}}}""",
            headers: new() { ["Mcp-Session-Id"] = alice.SessionId!, ["MCP-Protocol-Version"] = "2025-11-25" });

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        _upstream.Spy.Requests.Should().BeEmpty();
        _gate.AuditLines().Should().Contain(l => l.GetProperty("result").GetString() == "unknown_session" && l.GetProperty("subject").GetString() == "bob");
    }

    [Fact]
    public async Task MissingToken_Gets401WithBearerChallenge()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", token: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
        (await ErrorCodeAsync(response)).Should().Be(-32000);
        _gate.AuditLines().Should().Contain(l => l.GetProperty("event").GetString() == "auth.failed");
    }

    [Fact]
    public async Task ClientBearerToken_NeverReachesTheUpstream_TheUpstreamsOwnHeaderDoes()
    {
        await using var alice = await GateClients.ConnectAsync(_gate, GatePolicies.AliceToken, UpstreamEra.Stateful2025);
        await alice.ListToolsAsync();
        await alice.CallToolAsync("read_file", GateClients.Args(("path", "a")));

        var forwarded = _upstream.Spy.Requests.Where(r => r.Header("X-Upstream-Key") is not null).ToList();
        forwarded.Should().NotBeEmpty();
        _upstream.Spy.Requests.Should().OnlyContain(r => r.Header("Authorization") == null || !r.Header("Authorization")!.Contains(GatePolicies.AliceToken));
        _upstream.Spy.Requests.Should().OnlyContain(r => !Encoding.UTF8.GetString(r.Body).Contains(GatePolicies.AliceToken));
    }

    [Fact]
    public async Task UnknownAlias_Is404_AndNamesNoOtherAlias()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gate.BaseUrl, "/mcp/nope"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatePolicies.AliceToken);

        var response = await _http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().NotContain("files");
    }

    [Fact]
    public async Task ForeignOrigin_IsRefusedWith403()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", headers: new() { ["Origin"] = "http://evil.example.com" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        _upstream.Spy.Requests.Should().NotContain(r => r.Header("Origin") != null);
    }

    [Fact]
    public async Task ForeignHostName_IsRefusedWith403()
    {
        var response = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", headers: new() { ["Host"] = "evil.example.com" });

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private void AssertDeleteNeverReachedUpstream()
    {
        _upstream.Spy.SawToolCall("delete_file").Should().BeFalse();
        _upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
    }

    private Task<HttpResponseMessage> PostAsync(string json, Dictionary<string, string>? headers = null, string? token = GatePolicies.BobToken)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return SendAsync(content, headers, token);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpContent content, Dictionary<string, string>? headers = null, string? token = GatePolicies.BobToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _gate.McpUrl("files")) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers ?? [])
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await _http.SendAsync(request);
    }

    private static async Task<int> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetProperty("code").GetInt32();
    }
}
