using System.Net;
using System.Text.Json;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Tests.Faults;
using McpGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// <c>gateway.rateLimits</c> (docs/observability.md, "Rate limits") through the real gate to a real SDK upstream: a
/// call over its limit is answered by the gate (429, <c>Retry-After</c>, JSON-RPC -31429), never forwarded, audited.
/// </summary>
[Trait("Category", "Network")]
public sealed class RateLimitTests
{
    private const string DevWrites = """
        "rateLimits": [ { "name": "dev-writes", "roles": ["dev"], "server": "fil*", "access": "write", "limit": 3, "per": "1m" } ]
        """;

    [Fact]
    public async Task WritesOverTheLimit_AreRefusedOnce_NotForwarded_AndAudited_WhileReadsGoOn()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, DevWrites));
        await gate.CatalogReadyAsync();

        var answers = new List<FaultAnswer>();
        for (var i = 1; i <= 4; i++)
        {
            answers.Add(await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(i, "delete_file")));
        }

        for (var i = 10; i < 15; i++)
        {
            (await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(i, "read_file"))).Status.Should().Be(HttpStatusCode.OK);
        }

        answers.Take(3).Should().AllSatisfy(a => a.Status.Should().Be(HttpStatusCode.OK));
        var refused = answers[3];
        refused.Status.Should().Be(HttpStatusCode.TooManyRequests);
        int.Parse(refused.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 60);
        using var body = JsonDocument.Parse(refused.Body);
        var error = body.RootElement.GetProperty("error");
        error.GetProperty("code").GetInt32().Should().Be(-31429);
        error.GetProperty("message").GetString().Should().Be("rate_limited");
        var data = error.GetProperty("data");
        data.GetProperty("rule").GetString().Should().Be("dev-writes");
        data.GetProperty("retry_after_seconds").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be(refused.RetryAfter);
        body.RootElement.GetProperty("id").GetInt32().Should().Be(4);
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(3, "the refused call never reached the upstream");
        upstream.Spy.ExecutedToolCount("read_file").Should().Be(5, "reads are not limited by a write rule");

        var lines = await gate.WaitForAuditLinesAsync(l => l.Count(x => x.GetProperty("tool").GetString() is "delete_file" or "read_file") >= 9);
        var limited = lines.Should().ContainSingle(l => l.GetProperty("result").GetString() == "rate_limited").Which;
        limited.GetProperty("rate_limit_rule").GetString().Should().Be("dev-writes");
        (limited.GetProperty("decision").GetString(), limited.GetProperty("subject").GetString(), limited.GetProperty("tool").GetString())
            .Should().Be(("allow", "alice", "delete_file"));
        limited.GetProperty("decision_id").GetString().Should().Be(data.GetProperty("decision_id").GetString());
        lines.Where(l => l.GetProperty("result").GetString() != "rate_limited")
            .Should().AllSatisfy(l => l.GetProperty("rate_limit_rule").ValueKind.Should().Be(JsonValueKind.Null));
    }

    [Fact]
    public async Task DeniedCalls_ConsumeNoBudget()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, """
            "rateLimits": [ { "name": "everyone", "subjects": "*", "limit": 2, "per": "1h" } ]
            """));
        await gate.CatalogReadyAsync();

        // bob (a reader) may not delete: three denials, and his two calls per hour are still there.
        for (var i = 1; i <= 3; i++)
        {
            var denied = await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(i, "delete_file"));
            denied.Body.Should().Contain("capability_denied");
        }

        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(4, "read_file"))).Status.Should().Be(HttpStatusCode.OK);
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(5, "read_file"))).Status.Should().Be(HttpStatusCode.OK);
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(6, "read_file"))).Status.Should().Be(HttpStatusCode.TooManyRequests);
        upstream.Spy.ExecutedToolCount("read_file").Should().Be(2);
    }

    [Fact]
    public async Task Bucket_RefillsWhenTheWindowHasPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, DevWrites), b => b.Services.AddSingleton<TimeProvider>(time));
        await gate.CatalogReadyAsync();
        for (var i = 1; i <= 3; i++)
        {
            (await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(i, "delete_file"))).Status.Should().Be(HttpStatusCode.OK);
        }

        time.Advance(TimeSpan.FromSeconds(45));
        var refused = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(4, "delete_file"));
        time.Advance(TimeSpan.FromSeconds(15));
        var refilled = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(5, "delete_file"));

        refused.Status.Should().Be(HttpStatusCode.TooManyRequests);
        refused.RetryAfter.Should().Be("15");
        refilled.Status.Should().Be(HttpStatusCode.OK);
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(4);
    }

    [Fact]
    public async Task BatchWithACallOverTheLimit_IsRefusedWhole_AndNothingIsForwarded()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, DevWrites.Replace("\"limit\": 3", "\"limit\": 1", StringComparison.Ordinal)));
        await gate.CatalogReadyAsync();

        var answer = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, $"[{FaultClient.ToolCall(1, "delete_file")},{FaultClient.ToolCall(2, "delete_file")}]");

        answer.Status.Should().Be(HttpStatusCode.TooManyRequests);
        answer.RetryAfter.Should().NotBeNull();
        using var body = JsonDocument.Parse(answer.Body);
        body.RootElement.EnumerateArray().Select(e => e.GetProperty("error").GetProperty("message").GetString())
            .Should().Equal("batch_refused", "rate_limited");
        body.RootElement[1].GetProperty("error").GetProperty("code").GetInt32().Should().Be(-31429);
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
        gate.AuditLines().Where(l => l.GetProperty("tool").ValueKind == JsonValueKind.String).Select(l => l.GetProperty("result").GetString())
            .Should().Equal("batch_refused", "rate_limited");
    }

    [Fact]
    public async Task Reload_ChangesTheLimit()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, DevWrites));
        await gate.CatalogReadyAsync();
        var store = gate.Services.GetRequiredService<GateStateStore>();
        for (var i = 1; i <= 3; i++)
        {
            (await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(i, "delete_file"))).Status.Should().Be(HttpStatusCode.OK);
        }

        (await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(4, "delete_file"))).Status.Should().Be(HttpStatusCode.TooManyRequests);

        // The rule's limit changes: its old, spent bucket goes with the reload.
        var reloaded = store.NextVersionAsync();
        await File.WriteAllTextAsync(gate.ConfigPath, GatePolicies.Standard(upstream.McpUrl, DevWrites.Replace("\"limit\": 3", "\"limit\": 4", StringComparison.Ordinal)));
        await reloaded;
        var afterChange = new List<HttpStatusCode>();
        for (var i = 5; i <= 9; i++)
        {
            afterChange.Add((await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(i, "delete_file"))).Status);
        }

        // The rule is removed: nothing is limited any more.
        reloaded = store.NextVersionAsync();
        await File.WriteAllTextAsync(gate.ConfigPath, GatePolicies.Standard(upstream.McpUrl));
        await reloaded;
        var afterRemoval = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(10, "delete_file"));

        afterChange.Should().Equal(HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests);
        afterRemoval.Status.Should().Be(HttpStatusCode.OK);
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(8);
    }
}
