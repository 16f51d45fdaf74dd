using System.Net;
using System.Text.Json;
using McpGate.Audit;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// The audit log (gateway.md §2, docs/audit.md) as real SDK clients drive the real gate: one line per decision, with
/// the outcome the caller saw, and never a secret or an argument value.
/// </summary>
[Trait("Category", "Network")]
public sealed class GateAuditTests
{
    [Fact]
    public async Task DeniedToolCall_WritesExactlyOneLine_WithEveryField_NullWhereEmpty_AndTheEnvelopesDecisionId()
    {
        await using var run = await GateRun.StartAsync();

        var reply = await GateHttp.PostAsync(run.Http, run.Gate.McpUrl("files"),
            """{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"x"}}}""", GatePolicies.BobToken);

        var line = run.Gate.AuditLines().Should().ContainSingle("a denial is one line, written before the answer").Subject;
        line.EnumerateObject().Select(p => p.Name).Should().Equal(AuditFields.All);
        line.GetProperty("decision_id").GetString().Should().Be(reply.Error.GetProperty("data").GetProperty("decision_id").GetString());
        Text(line, "ts").Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        Text(line, "trace_id").Should().MatchRegex("^[0-9a-f]{32}$");
        (Text(line, "event"), Text(line, "decision"), Text(line, "result")).Should().Be(("mcp.tool_called", "deny", "capability_denied"));
        (Text(line, "subject"), Text(line, "auth"), Text(line, "server"), Text(line, "method"), Text(line, "tool"), Text(line, "jsonrpc_id"))
            .Should().Be(("bob", "bearer", "files", "tools/call", "delete_file", "12"));
        line.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("reader");
        line.GetProperty("credential_roles").ValueKind.Should().Be(JsonValueKind.Null, "bob's token carries no role: reader comes from the config");
        (Text(line, "matched_rule"), Text(line, "access_kind")).Should().Be(("default", "write"));
        (Text(line, "classification_kind"), Text(line, "classification_source")).Should().Be(("write", "annotation"));
        line.GetProperty("classification_confidence").ValueKind.Should().Be(JsonValueKind.Number);
        line.GetProperty("duration_ms").GetDouble().Should().Be(0);
        line.GetProperty("arg_keys").EnumerateArray().Select(k => k.GetString()).Should().Equal("path");
        foreach (var empty in new[] { "resource", "prompt", "grant_access", "upstream_status", "hidden" })
        {
            line.GetProperty(empty).ValueKind.Should().Be(JsonValueKind.Null, $"{empty} has no value for a denied tools/call");
        }
    }

    [Fact]
    public async Task AllowedToolCall_WritesOneOkLine_WithUpstreamStatus200AndItsDuration_AndNoDenial()
    {
        await using var run = await GateRun.StartAsync();
        await using var bob = await GateClients.ConnectAsync(run.Gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);

        await bob.CallToolAsync("read_file", GateClients.Args(("path", "/public/notes.txt")));

        var lines = await run.Gate.WaitForAuditLinesAsync(l => l.Any(IsToolLine));
        var line = lines.Should().ContainSingle(l => IsToolLine(l)).Subject;
        (Text(line, "decision"), Text(line, "result"), Text(line, "tool")).Should().Be(("allow", "ok", "read_file"));
        line.GetProperty("upstream_status").GetInt32().Should().Be(200);
        line.GetProperty("duration_ms").GetDouble().Should().BeGreaterThan(0);
        lines.Should().NotContain(l => Text(l, "decision") == "deny" || Text(l, "result") == "capability_denied");
    }

    [Fact]
    public async Task TwentyConcurrentCallsFromThreeCallers_WriteExactlyTwentyToolLines()
    {
        await using var run = await GateRun.StartAsync();
        await using var alice = await GateClients.ConnectAsync(run.Gate, GatePolicies.AliceToken, UpstreamEra.Stateless2026);
        await using var bob = await GateClients.ConnectAsync(run.Gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);
        await using var carol = await GateClients.ConnectAsync(run.Gate, GatePolicies.CarolToken, UpstreamEra.Stateless2026);
        (McpClient Client, string Tool)[] kinds =
        [
            (alice, "read_file"), (alice, "delete_file"), (bob, "read_file"), (bob, "delete_file"), (carol, "read_file"),
        ];

        var calls = Enumerable.Range(0, 20).Select(i => CallAsync(kinds[i % kinds.Length], i));
        await Task.WhenAll(calls);

        var lines = await run.Gate.WaitForAuditLinesAsync(l => l.Count(IsToolLine) >= 20);
        var toolLines = lines.Where(IsToolLine).ToList();
        toolLines.Should().HaveCount(20);
        toolLines.Select(l => Text(l, "decision_id")).Distinct().Should().HaveCount(20);
        toolLines.GroupBy(l => (Text(l, "subject"), Text(l, "decision"))).ToDictionary(g => g.Key, g => g.Count()).Should().BeEquivalentTo(
            new Dictionary<(string?, string?), int> { [("alice", "allow")] = 8, [("bob", "allow")] = 4, [("bob", "deny")] = 4, [("carol", "deny")] = 4 });

        static async Task CallAsync((McpClient Client, string Tool) kind, int i)
        {
            try
            {
                await kind.Client.CallToolAsync(kind.Tool, GateClients.Args(("path", $"/tmp/{i}.txt")));
            }
            catch (McpProtocolException)
            {
                // A denial; its line is what this test counts.
            }
        }
    }

    [Fact]
    public async Task AllowDenyListAndAuthFailureRun_NoAuditLineAndNoGateAnswerHoldsATokenOrAnArgumentValue()
    {
        await using var run = await GateRun.StartAsync();
        string[] argumentValues = ["argvalue-allowed-7c1", "argvalue-denied-2f9", "argvalue-unauth-4d0", "argvalue-prompt-8a3"];
        const string wrongToken = "wrong-token-value-5e1c";
        var url = run.Gate.McpUrl("files");

        var answers = new List<JsonRpcReply>
        {
            await GateHttp.PostAsync(run.Http, url, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_files","arguments":{"path":"/argvalue-allowed-7c1","limit":3}}}""", GatePolicies.BobToken),
            await GateHttp.PostAsync(run.Http, url, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"argvalue-denied-2f9"}}}""", GatePolicies.BobToken),
            await GateHttp.PostAsync(run.Http, url, """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", GatePolicies.BobToken),
            await GateHttp.PostAsync(run.Http, url, """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"argvalue-unauth-4d0"}}}""", wrongToken),
            await GateHttp.PostAsync(run.Http, url, """{"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"admin_prompt","arguments":{"x":"argvalue-prompt-8a3"}}}""", GatePolicies.BobToken),
            await GateHttp.PostAsync(run.Http, url, """{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"argvalue-denied-2f9"}}}""", GatePolicies.AliceToken),
        };
        var lines = await run.Gate.WaitForAuditLinesAsync(l => l.Count(IsToolLine) >= 3);

        answers.Select(a => a.Status).Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK);
        lines.Select(l => Text(l, "event")).Should().Contain(["mcp.tool_called", "mcp.list_filtered", "auth.failed", "mcp.prompt_get"]);
        var audit = string.Join('\n', lines.Select(l => l.GetRawText()));
        var gateAnswers = string.Join('\n', answers.Where(a => a.Message is not { } m || m.TryGetProperty("error", out _)).Select(a => a.Body));
        gateAnswers.Should().Contain("capability_denied").And.Contain("unauthenticated");
        foreach (var secret in new[] { GatePolicies.BobToken, GatePolicies.AliceToken, wrongToken }.Concat(argumentValues))
        {
            audit.Should().NotContain(secret);
            gateAnswers.Should().NotContain(secret);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ToolAnsweringIsError_IsAuditedAsToolError(bool jsonUpstream)
    {
        await using var run = await GateRun.StartAsync(jsonUpstream);
        await using var bob = await GateClients.ConnectAsync(run.Gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);

        var result = await bob.CallToolAsync("read_file", GateClients.Args(("path", "/no/such/file")));

        result.IsError.Should().BeTrue();
        var line = (await run.Gate.WaitForAuditLinesAsync(l => l.Any(IsToolLine))).Single(IsToolLine);
        (Text(line, "decision"), Text(line, "result")).Should().Be(("allow", "tool_error"));
        line.GetProperty("upstream_status").GetInt32().Should().Be(200);
    }

    [Fact]
    public async Task UpstreamAnswering500_BecomesAJsonRpcUpstreamError_AndIsAuditedWithTheUpstreamsStatus()
    {
        await using var run = await GateRun.StartAsync();
        var request = """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"/public/notes.txt"}}}""";

        run.Upstream.FailNextRequestsWith(HttpStatusCode.InternalServerError);
        var reply = await GateHttp.PostAsync(run.Http, run.Gate.McpUrl("files"), request, GatePolicies.BobToken);

        // The caller gets the gate's JSON-RPC error, never the upstream's error text (gateway.md §2, docs/security.md).
        reply.Status.Should().Be(HttpStatusCode.BadGateway);
        reply.Body.Should().Contain("upstream_error").And.NotContain("injected failure");
        run.Upstream.Spy.ExecutedToolCount("read_file").Should().Be(0);
        var line = (await run.Gate.WaitForAuditLinesAsync(l => l.Any(IsToolLine))).Single(IsToolLine);
        (Text(line, "decision"), Text(line, "result")).Should().Be(("allow", "upstream_error"));
        line.GetProperty("upstream_status").GetInt32().Should().Be(500);
    }

    private static bool IsToolLine(JsonElement line) => Text(line, "event") == "mcp.tool_called";

    private static string? Text(JsonElement line, string field) => line.GetProperty(field).GetString();

    /// <summary>An upstream and its gate, the gate's startup discovery done so it cannot mix with the test's requests.</summary>
    private sealed class GateRun : IAsyncDisposable
    {
        private GateRun(TestUpstream upstream, RunningGate gate)
        {
            Upstream = upstream;
            Gate = gate;
        }

        public TestUpstream Upstream { get; }

        public RunningGate Gate { get; }

        public HttpClient Http { get; } = new();

        public static async Task<GateRun> StartAsync(bool jsonUpstream = false)
        {
            var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026, JsonResponses = jsonUpstream });
            var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
            await gate.CatalogReadyAsync();
            return new GateRun(upstream, gate);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Gate.DisposeAsync();
            await Upstream.DisposeAsync();
        }
    }
}
