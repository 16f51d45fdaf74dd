using System.Net;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using StackExchange.Redis;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Three built <c>mcp serve</c> processes started at once on an empty session key ring (a directory, or a real
/// <c>redis-server</c>): the ring ends up with one first key, not one per replica, so every replica opens the ids every
/// other one sealed, also after Data Protection's two-minute re-read-on-unknown-key window (docs/deploy.md).
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class KeyRingFirstStartTests : IAsyncLifetime
{
    private const string RedisKeyRingKey = "mcpgate:session-key-ring";

    private readonly TempDirectory _directory = new();
    private readonly List<(RunningMcp Process, int Port)> _replicas = [];
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() =>
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });

    public async Task DisposeAsync()
    {
        foreach (var (process, _) in _replicas)
        {
            await process.DisposeAsync();
        }

        await _upstream.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task ThreeReplicasStartingAtOnce_OnAnEmptyKeyRingDirectory_MakeOneKey_AndOpenEachOthersIds()
    {
        var keys = _directory.Combine("keys");
        await StartReplicasAsync($$"""
            "sessions": { "keyRing": "{{keys}}" }
            """);

        Directory.GetFiles(keys, "*.xml").Should().ContainSingle("one replica made the first key; the others read it");
        await EveryReplicaOpensEveryOthersIdsAsync();
    }

    [Fact]
    public async Task ThreeReplicasStartingAtOnce_OnAnEmptyRedis_MakeOneKey_AndOpenEachOthersIds()
    {
        await using var redis = await RedisServer.StartAsync();
        await StartReplicasAsync($$"""
            "redis": "{{redis.ConnectionString}}"
            """);

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        (await connection.GetDatabase().ListLengthAsync(RedisKeyRingKey)).Should().Be(1, "one replica made the first key; the others read it");
        await EveryReplicaOpensEveryOthersIdsAsync();
    }

    private async Task StartReplicasAsync(string gateway)
    {
        var config = _directory.WriteFile("servers.json", GatePolicies.Standard(_upstream.McpUrl, gateway));
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
    }

    private async Task EveryReplicaOpensEveryOthersIdsAsync()
    {
        using var http = new HttpClient();
        foreach (var (_, sealingPort) in _replicas)
        {
            await using var bob = await TestMcpClient.ConnectAsync(new Uri($"http://127.0.0.1:{sealingPort}/mcp/files"), new TestClientOptions
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + GatePolicies.BobToken },
                ProtocolVersion = TestMcpClient.LegacyProtocolVersion,
                StandaloneGetStream = false,
            });

            foreach (var (_, port) in _replicas)
            {
                var reply = await GateHttp.PostAsync(http, new Uri($"http://127.0.0.1:{port}/mcp/files"), """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", GatePolicies.BobToken,
                    new Dictionary<string, string> { ["Mcp-Session-Id"] = bob.SessionId!, ["MCP-Protocol-Version"] = TestMcpClient.LegacyProtocolVersion });
                reply.Status.Should().Be(HttpStatusCode.OK, $"the id sealed by the replica on {sealingPort} opens on the one on {port}");
            }
        }
    }
}
