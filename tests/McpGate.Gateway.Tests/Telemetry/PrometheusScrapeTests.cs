using System.Net;
using McpGate.Gateway.Tests.Faults;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Telemetry;

/// <summary>
/// <c>GET /metrics</c> scraped by a real Prometheus server (docs/observability.md, "Prometheus"): what the gate did is
/// what a PromQL query over the scraped series says.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class PrometheusScrapeTests
{
    [Fact]
    public async Task Prometheus_ScrapesTheGate_AndPromQLCountsTheDenialsTheCallersGot()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });

        // On by default: the gate listens on loopback.
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await gate.CatalogReadyAsync();
        await using var prometheus = await PrometheusServer.StartAsync(new Uri(gate.BaseUrl, "/metrics"));

        for (var i = 1; i <= 3; i++)
        {
            (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(i, "delete_file"))).Body.Should().Contain("capability_denied");
        }

        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(4, "read_file"))).Status.Should().Be(HttpStatusCode.OK);

        var timeout = TimeSpan.FromSeconds(30);
        (await prometheus.QueryUntilAsync("""sum(mcpgate_decisions_total{mcpgate_decision="deny",mcpgate_server="files",mcp_method_name="tools/call"})""", v => v >= 3, timeout))
            .Should().Be(3);
        (await prometheus.QueryUntilAsync("""sum(mcpgate_decisions_total{mcpgate_decision="allow",mcpgate_result="ok",mcpgate_access="read"})""", v => v >= 1, timeout))
            .Should().Be(1);
        (await prometheus.QueryUntilAsync("""sum(mcp_server_operation_duration_seconds_count{mcp_method_name="tools/call",error_type="capability_denied"})""", v => v >= 3, timeout))
            .Should().Be(3);
        (await prometheus.QueryUntilAsync("""mcpgate_upstream_available{mcpgate_server="files"}""", v => v == 1, timeout)).Should().Be(1);
    }

    [Fact]
    public async Task Metrics_AreNotServed_WhenTurnedOff()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, "\"telemetry\": { \"prometheus\": false }"));
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(gate.BaseUrl, "/metrics"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }
}
