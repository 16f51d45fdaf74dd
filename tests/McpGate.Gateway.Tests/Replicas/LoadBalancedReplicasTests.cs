using System.Net;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol.Client;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Issue 19 end to end: three built <c>mcp serve</c> processes behind a real HAProxy (round robin, no affinity), the
/// session key ring in a real <c>redis-server</c>, in front of a real SDK upstream with sessions. An SDK client's
/// session goes on whichever replica each request lands on, even when one is killed; no call runs twice; the
/// replicas' audit files hold exactly the calls made; a session id is refused by every replica to another subject or
/// once altered.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class LoadBalancedReplicasTests : IAsyncLifetime
{
    private const int Calls = 12;

    private readonly TempDirectory _directory = new();
    private readonly List<(RunningMcp Process, int Port)> _replicas = [];
    private RedisServer _redis = null!;
    private TestUpstream _upstream = null!;
    private HaproxyServer _haproxy = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        var config = _directory.WriteFile("servers.json", GatePolicies.Standard(_upstream.McpUrl, $$"""
            "redis": "{{_redis.ConnectionString}}"
            """));
        var starting = new List<Task>();
        for (var i = 1; i <= 3; i++)
        {
            var port = UnusedLoopback.Port();
            var replica = McpProcess.Start(
                _directory.Path,
                ["serve", "--config", config, "--listen", $"127.0.0.1:{port}", "--audit-log", _directory.Combine("audit", $"mcpgate-r{i}-.jsonl")],
                new Dictionary<string, string> { ["MCPGATE_INSTANCE"] = $"r{i}" });
            _replicas.Add((replica, port));
            starting.Add(replica.WaitForOutputLineAsync(line => line.StartsWith("McpGate listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(90)));
        }

        await Task.WhenAll(starting);
        _haproxy = await HaproxyServer.StartAsync([.. _replicas.Select(r => r.Port)]);
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        foreach (var (process, _) in _replicas)
        {
            await process.DisposeAsync();
        }

        await _upstream.DisposeAsync();
        await _redis.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task SessionGoesOnAcrossReplicas_AndSurvivesOneBeingKilled_EachCallRunOnce_AndAuditedOnce()
    {
        await using var bob = await ConnectAsync(GatePolicies.BobToken);
        for (var i = 0; i < Calls; i++)
        {
            if (i == Calls / 2)
            {
                // Mid-run, the way a node goes away: no drain. The write-behind audit of the calls it answered has had
                // time to reach its file (it flushes within about 10 ms).
                await Task.Delay(200);
                _replicas[1].Process.Kill();

                // HAProxy's health check sees it gone; the client does nothing about it.
                await Task.Delay(HaproxyServer.DetectionTime);
            }

            var result = await bob.CallToolAsync("read_file", GateClients.Args(("path", "/public/notes.txt")));
            result.IsError.Should().NotBe(true);
        }

        _upstream.Spy.ExecutedToolCount("read_file").Should().Be(Calls, "no call was run twice, none was lost");
        var calls = AuditLines().Where(l => l.GetProperty("event").GetString() == "mcp.tool_called").OrderBy(l => l.GetProperty("ts").GetString(), StringComparer.Ordinal).ToList();
        calls.Should().HaveCount(Calls).And.OnlyContain(l => l.GetProperty("result").GetString() == "ok" && l.GetProperty("subject").GetString() == "bob");
        var instances = calls.Select(l => l.GetProperty("gate_instance").GetString()).ToList();
        instances.Take(Calls / 2).Distinct().Should().BeEquivalentTo(["r1", "r2", "r3"], "round robin sent the session's calls to every replica");
        instances.Skip(Calls / 2).Should().NotContain("r2", "the killed replica answered nothing more");
    }

    [Fact]
    public async Task AnotherSubjectsOrAnAlteredSessionId_IsRefusedByEveryReplica()
    {
        await using var bob = await ConnectAsync(GatePolicies.BobToken);
        var sealedId = bob.SessionId!;
        var middle = sealedId.Length / 2;
        var altered = sealedId[..middle] + (sealedId[middle] == 'A' ? 'B' : 'A') + sealedId[(middle + 1)..];
        using var http = new HttpClient();

        foreach (var (_, port) in _replicas)
        {
            var url = new Uri($"http://127.0.0.1:{port}/mcp/files");
            (await PostAsync(http, url, GatePolicies.AliceToken, sealedId)).Status.Should().Be(HttpStatusCode.NotFound, "alice holds bob's id");
            (await PostAsync(http, url, GatePolicies.BobToken, altered)).Status.Should().Be(HttpStatusCode.NotFound, "the id was altered");
            (await PostAsync(http, url, GatePolicies.BobToken, sealedId)).Status.Should().Be(HttpStatusCode.OK, "bob's own id opens on every replica");
        }

        AuditLines().Count(l => l.GetProperty("result").GetString() == "unknown_session").Should().Be(2 * _replicas.Count);
    }

    private Task<McpClient> ConnectAsync(string token) =>
        TestMcpClient.ConnectAsync(new Uri(_haproxy.BaseUrl, "/mcp/files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
            ProtocolVersion = TestMcpClient.LegacyProtocolVersion,

            // The listen stream would pin one replica's connection; the calls are what this test spreads.
            StandaloneGetStream = false,
        });

    private static Task<JsonRpcReply> PostAsync(HttpClient http, Uri url, string token, string sessionId) =>
        GateHttp.PostAsync(http, url, """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", token,
            new Dictionary<string, string> { ["Mcp-Session-Id"] = sessionId, ["MCP-Protocol-Version"] = TestMcpClient.LegacyProtocolVersion });

    /// <summary>Every line of every replica's audit files (audit lines are flushed within about 10 ms).</summary>
    private List<JsonElement> AuditLines()
    {
        Thread.Sleep(300);
        var lines = new List<JsonElement>();
        foreach (var file in Directory.GetFiles(_directory.Combine("audit"), "mcpgate-*.jsonl"))
        {
            lines.AddRange(TempDirectory.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()));
        }

        return lines;
    }
}
