using System.Diagnostics;
using System.Net;
using System.Text.Json;
using McpGate.Gateway.Tests.Faults;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// <c>/readyz</c> with <c>gateway.redis</c> and a real <c>redis-server</c> that goes away mid-test and comes back:
/// Redis away degrades the replica (200, still in rotation, the body says why) and calls go on; once Redis answers
/// again the replica is healthy, without a restart.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class RedisReadinessTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(60);

    private RedisServer _redis = null!;
    private TestUpstream _upstream = null!;
    private RunningGate _gate = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        _gate = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl, $$"""
            "redis": "{{_redis.ConnectionString}}",
            "rateLimits": [ { "name": "dev-writes", "roles": ["dev"], "access": "write", "limit": 100, "per": "1h" } ]
            """));
        await _gate.CatalogReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await _gate.DisposeAsync();
        await _upstream.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task RedisAway_DegradesButKeepsTheReplicaReady_AndCallsGoOn_ThenHealthyAgainOnceItIsBack()
    {
        await using var alice = await GateClients.ConnectAsync(_gate, GatePolicies.AliceToken, UpstreamEra.Stateful2025);
        var (status, body) = await ReadinessWhenAsync(redisReachable: true);
        status.Should().Be(HttpStatusCode.OK, body.ToString());
        body.GetProperty("status").GetString().Should().Be("healthy", body.ToString());

        await _redis.StopAsync();
        (status, body) = await ReadinessWhenAsync(redisReachable: false);

        status.Should().Be(HttpStatusCode.OK, "every replica shares the one Redis: unready would take them all out of rotation at once");
        body.GetProperty("ready").GetBoolean().Should().BeTrue();
        body.GetProperty("status").GetString().Should().Be("degraded", body.ToString());
        var redis = body.GetProperty("redis");
        redis.GetProperty("description").GetString().Should().Contain("rate limits are counted per replica").And.Contain("cached key ring");
        redis.GetProperty("last_error").GetString().Should().NotBeNullOrEmpty();

        // The session sealed with the key ring from Redis still opens, and a rate-limited write still goes (counted
        // on this replica's own buckets).
        var started = Stopwatch.GetTimestamp();
        var write = await alice.CallToolAsync("delete_file", GateClients.Args(("path", "/tmp/x")));
        var took = Stopwatch.GetElapsedTime(started);
        write.IsError.Should().NotBe(true);
        took.Should().BeLessThan(TimeSpan.FromSeconds(4), "the call does not wait out the Redis client's 5 s backlog timeout before falling back");

        await _redis.RestartAsync();
        (status, body) = await ReadinessWhenAsync(redisReachable: true);

        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("status").GetString().Should().Be("healthy", body.ToString());
        body.GetProperty("redis").GetProperty("last_error").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task WithoutRedis_ReadinessHasNoRedisEntry()
    {
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl));
        await gate.CatalogReadyAsync();

        var body = await FaultClient.ReadinessAsync(gate);

        body.TryGetProperty("redis", out _).Should().BeFalse(body.ToString());
    }

    /// <summary>Polls <c>/readyz</c> (each poll pings Redis) until it reports Redis as <paramref name="redisReachable"/>.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessWhenAsync(bool redisReachable)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + s_deadline;
        while (true)
        {
            using var response = await http.GetAsync(new Uri(_gate.BaseUrl, "/readyz"));
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (document.RootElement.GetProperty("redis").GetProperty("reachable").GetBoolean() == redisReachable)
            {
                return (response.StatusCode, document.RootElement.Clone());
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/readyz did not report Redis reachable: {redisReachable} within {s_deadline}:\n{document.RootElement}");
            }

            await Task.Delay(100);
        }
    }
}
