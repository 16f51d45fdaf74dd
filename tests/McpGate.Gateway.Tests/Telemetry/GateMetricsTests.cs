using System.Net;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Telemetry;
using McpGate.Gateway.Tests.Faults;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace McpGate.Gateway.Tests.Telemetry;

/// <summary>The McpGate meter (docs/observability.md, "Metrics") read by a <see cref="System.Diagnostics.Metrics.MeterListener"/> while real calls go through a real gate.</summary>
[Trait("Category", "Network")]
public sealed class GateMetricsTests
{
    [Fact]
    public async Task Decisions_AreCounted_ByVerdictResultServerAccessAndMethod_WithNoSubjectOrToken()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await gate.CatalogReadyAsync();
        using var metrics = new MetricsRecorder(gate);

        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(1, "read_file"))).Status.Should().Be(HttpStatusCode.OK);
        (await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(2, "delete_file"))).Status.Should().Be(HttpStatusCode.OK);
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(3, "delete_file"))).Body.Should().Contain("capability_denied");

        var decisions = metrics.Of(GateTelemetryNames.Decisions);
        decisions.Select(d => (d.Tags["mcpgate.decision"], d.Tags["mcpgate.result"], d.Tags["mcpgate.access"])).Should().BeEquivalentTo(new[]
        {
            ("allow", "ok", "read"),
            ("allow", "ok", "write"),
            ("deny", "capability_denied", "write"),
        });
        decisions.Should().AllSatisfy(d =>
        {
            d.Value.Should().Be(1);
            d.Tags["mcpgate.server"].Should().Be("files");
            d.Tags["mcp.method.name"].Should().Be("tools/call");
        });

        // No label names a caller: not the subject, not a role, not a token.
        var values = metrics.Of(GateTelemetryNames.Decisions).Concat(metrics.Of(GateTelemetryNames.OperationDuration)).SelectMany(r => r.Tags.Values).ToList();
        values.Should().NotContain(v => v != null && (v.Contains("alice") || v.Contains("bob") || v.Contains("secret") || v.Contains("dev") || v.Contains("reader")));
    }

    [Fact]
    public async Task OperationDuration_CarriesTheSemanticConventionAttributes_AndSplitsUpstreamFromGateTime()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await gate.CatalogReadyAsync();
        using var metrics = new MetricsRecorder(gate);

        using var http = new HttpClient();
        (await GateHttp.PostAsync(http, gate.McpUrl("files"), FaultClient.ToolCall(1, "read_file"), GatePolicies.AliceToken, new Dictionary<string, string>
        {
            ["MCP-Protocol-Version"] = "2026-07-28",
            ["Mcp-Method"] = "tools/call",
            ["Mcp-Name"] = "read_file",
        })).Status.Should().Be(HttpStatusCode.OK);
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(2, "no_such_tool"))).Status.Should().Be(HttpStatusCode.OK);
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"x/made_up\"}")).Status.Should().NotBe(HttpStatusCode.InternalServerError);

        var operations = metrics.Of(GateTelemetryNames.OperationDuration);
        var allowed = operations.Should().ContainSingle(o => o.Tags["mcp.method.name"] == "tools/call" && !o.Tags.ContainsKey("error.type")).Which;
        allowed.Tags["gen_ai.tool.name"].Should().Be("read_file");
        allowed.Tags["mcp.protocol.version"].Should().Be("2026-07-28");
        allowed.Tags["mcpgate.server"].Should().Be("files");
        allowed.Value.Should().BeInRange(0, 10);

        // A denied call: its error, and no tool name (a caller could otherwise mint one series per made-up name).
        var denied = operations.Should().ContainSingle(o => o.Tags.ContainsKey("error.type")
            && o.Tags["error.type"] == "capability_denied").Which;
        denied.Tags.Should().NotContainKey("gen_ai.tool.name");
        operations.Select(o => o.Tags["mcp.method.name"]).Should().OnlyContain(m => m == "tools/call" || m == "_OTHER");

        // Forwarded: the allowed call and the unknown method (the upstream answers that one); the denial was not.
        metrics.Of(GateTelemetryNames.UpstreamDuration).Select(r => r.Tags["mcp.method.name"]).Should().BeEquivalentTo("tools/call", "_OTHER");
        var upstreamTime = metrics.Of(GateTelemetryNames.UpstreamDuration).Single(r => r.Tags["mcp.method.name"] == "tools/call");
        var gateTime = metrics.Of(GateTelemetryNames.GateDuration).Single(r => r.Tags["mcp.method.name"] == "tools/call");
        upstreamTime.Value.Should().BeGreaterThan(0).And.BeLessThan(allowed.Value);
        (upstreamTime.Value + gateTime.Value).Should().BeApproximately(allowed.Value, 0.005);
    }

    [Fact]
    public async Task HiddenListItems_AuditHealth_UpstreamAvailability_AndReloads_AreMeasured()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await gate.CatalogReadyAsync();
        using var metrics = new MetricsRecorder(gate);

        // dave may see no tool at all: every entry of the list is hidden from him.
        (await FaultClient.PostAsync(gate, GatePolicies.DaveToken, FaultClient.ToolsList(1))).Status.Should().Be(HttpStatusCode.OK);
        var hidden = metrics.Of(GateTelemetryNames.ListItemsHidden).Should().ContainSingle().Which;
        hidden.Value.Should().BeGreaterThan(0);
        hidden.Tags["mcp.method.name"].Should().Be("tools/list");

        var store = gate.Services.GetRequiredService<GateStateStore>();
        await File.WriteAllTextAsync(gate.ConfigPath, "{ not json");
        store.Reload().Should().BeFalse();
        await File.WriteAllTextAsync(gate.ConfigPath, GatePolicies.Standard(upstream.McpUrl));
        store.Reload().Should().BeTrue();
        metrics.Of(GateTelemetryNames.ConfigReloads).Select(r => r.Tags["mcpgate.result"]).Should().Equal("refused", "ok");

        metrics.Observe();
        metrics.Of(GateTelemetryNames.AuditWriteFailures).Should().ContainSingle().Which.Value.Should().Be(0);
        metrics.Of(GateTelemetryNames.AuditQueueDepth).Should().ContainSingle().Which.Value.Should().BeGreaterThanOrEqualTo(0);
        var available = metrics.Of(GateTelemetryNames.UpstreamAvailable).Should().ContainSingle().Which;
        (available.Value, available.Tags["mcpgate.server"]).Should().Be((1, "files"));
    }
}
