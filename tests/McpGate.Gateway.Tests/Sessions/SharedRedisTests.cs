using System.Net;
using McpGate.Gateway.Tests.Faults;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Sessions;

/// <summary>
/// <c>gateway.redis</c> with a real <c>redis-server</c>: three gates sharing it are three replicas. The session key
/// ring lives in Redis, so a session sealed by one opens on the others; rate-limit counters live there too, so a
/// limit holds across the replicas rather than per replica.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class SharedRedisTests : IAsyncLifetime
{
    private const int Limit = 3;

    private RedisServer _redis = null!;
    private TestUpstream _upstream = null!;
    private readonly List<RunningGate> _replicas = [];

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        var config = GatePolicies.Standard(_upstream.McpUrl, $$"""
            "redis": "{{_redis.ConnectionString}}",
            "rateLimits": [ { "name": "dev-writes", "roles": ["dev"], "access": "write", "limit": {{Limit}}, "per": "1h" } ]
            """);
        for (var i = 0; i < 3; i++)
        {
            _replicas.Add(await RunningGate.StartAsync(config));
        }

        await Task.WhenAll(_replicas.Select(r => r.CatalogReadyAsync()));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _upstream.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task LimitPlusOneWrites_SpreadOverThreeReplicas_AreRefusedExactlyOnce()
    {
        await using var alice = await GateClients.ConnectAsync(_replicas[0], GatePolicies.AliceToken, UpstreamEra.Stateful2025);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= Limit; i++)
        {
            statuses.Add((await PostAsync(_replicas[i % 3], GatePolicies.AliceToken, alice.SessionId!, FaultClient.ToolCall(i + 1, "delete_file"))).Status);
        }

        statuses.Count(s => s == HttpStatusCode.TooManyRequests).Should().Be(1, "the limit is counted across the replicas, not per replica");
        statuses[^1].Should().Be(HttpStatusCode.TooManyRequests);
        _upstream.Spy.ExecutedToolCount("delete_file").Should().Be(Limit);
    }

    [Fact]
    public async Task SessionSealedByOneReplica_OpensOnTheOthers_ThroughTheKeyRingInRedis()
    {
        await using var bob = await GateClients.ConnectAsync(_replicas[0], GatePolicies.BobToken, UpstreamEra.Stateful2025);

        foreach (var replica in _replicas.Skip(1))
        {
            (await PostAsync(replica, GatePolicies.BobToken, bob.SessionId!, FaultClient.ToolsList(2))).Status.Should().Be(HttpStatusCode.OK);
        }
    }

    private static async Task<JsonRpcReply> PostAsync(RunningGate replica, string token, string sessionId, string json)
    {
        using var http = new HttpClient();
        return await GateHttp.PostAsync(http, replica.McpUrl("files"), json, token,
            new Dictionary<string, string> { ["Mcp-Session-Id"] = sessionId, ["MCP-Protocol-Version"] = TestMcpClient.LegacyProtocolVersion });
    }
}
