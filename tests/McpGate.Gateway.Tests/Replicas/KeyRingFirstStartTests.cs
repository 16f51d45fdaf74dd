using System.Net;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using StackExchange.Redis;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Three built <c>mcp serve</c> processes started at once on an empty session key ring (a directory, or a real
/// <c>redis-server</c>): the ring ends up with one first key, not one per replica, so every replica opens the ids every
/// other one sealed. Several first keys would still open each other's ids here, as Data Protection re-reads the ring on
/// an unknown key in a process's first two minutes; after that they would not (docs/deploy.md), so the count is what
/// the test checks.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class KeyRingFirstStartTests : IAsyncLifetime
{
    private const string RedisKeyRingKey = "mcpgate:session-key-ring";

    private readonly TempDirectory _directory = new();
    private TestUpstream _upstream = null!;
    private ServeReplicas? _replicas;

    public async Task InitializeAsync() =>
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });

    public async Task DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
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

    private async Task StartReplicasAsync(string gateway) =>
        _replicas = await ServeReplicas.StartAsync(_directory, _directory.WriteFile("servers.json", GatePolicies.Standard(_upstream.McpUrl, gateway)));

    private async Task EveryReplicaOpensEveryOthersIdsAsync()
    {
        using var http = new HttpClient();
        foreach (var (_, sealingPort) in _replicas!.All)
        {
            await using var bob = await TestMcpClient.ConnectAsync(ServeReplicas.McpUrl(sealingPort), new TestClientOptions
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + GatePolicies.BobToken },
                ProtocolVersion = TestMcpClient.LegacyProtocolVersion,
                StandaloneGetStream = false,
            });

            foreach (var (_, port) in _replicas.All)
            {
                var reply = await GateHttp.PostAsync(http, ServeReplicas.McpUrl(port), """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", GatePolicies.BobToken,
                    new Dictionary<string, string> { ["Mcp-Session-Id"] = bob.SessionId!, ["MCP-Protocol-Version"] = TestMcpClient.LegacyProtocolVersion });
                reply.Status.Should().Be(HttpStatusCode.OK, $"the id sealed by the replica on {sealingPort} opens on the one on {port}");
            }
        }
    }
}
