using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Telemetry;
using McpGate.Gateway.Tests.Faults;
using McpGate.Gateway.Tests.Functional;
using McpGate.Gateway.Tests.Security;
using McpGate.Gateway.Tests.Stdio;
using McpGate.Testing;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task GrafanaDashboard_QueriesMetricsTheGateExports_InPromQLPrometheusAccepts()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });

        // And a stdio upstream, for the stdio children's panels.
        var stdio = JsonSerializer.Serialize(Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs"));
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl)
            .Replace("\"mcpServers\": {", $"\"mcpServers\": {{ \"tools\": {{ \"command\": \"node\", \"args\": [{stdio}] }},", StringComparison.Ordinal));
        await gate.CatalogReadyAsync();
        await gate.CatalogReadyAsync("tools");
        await using var prometheus = await PrometheusServer.StartAsync(new Uri(gate.BaseUrl, "/metrics"));

        // Every kind of event the dashboard shows, once: a denial, an allowed call, a hidden list, a reload, a child's
        // start (the discovery of "tools" above) and its exit.
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(1, "delete_file"))).Body.Should().Contain("capability_denied");
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(2, "read_file"))).Status.Should().Be(HttpStatusCode.OK);
        (await FaultClient.PostAsync(gate, GatePolicies.DaveToken, FaultClient.ToolsList(3))).Status.Should().Be(HttpStatusCode.OK);
        gate.Services.GetRequiredService<GateStateStore>().Reload().Should().BeTrue();
        await gate.Services.GetStdio().Peek("tools")!.StopAsync(StdioReasons.GateStopping);
        using var http = new HttpClient();

        // The exit is counted once the child's end has been read.
        var exported = await ScrapeUntilAsync(http, gate, "mcpgate_stdio_process_exits_total", TimeSpan.FromSeconds(10));

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "docs", "grafana", "mcpgate-dashboard.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString(), Expr: t.GetProperty("expr").GetString()!)))
            .ToList();
        expressions.Should().HaveCountGreaterThan(10);
        foreach (var (panel, expr) in expressions)
        {
            // A metric name with a typo is valid PromQL that never returns anything: each must be one the gate exports.
            foreach (Match name in Regex.Matches(expr, @"\b(mcp|mcpgate)_[a-z_]+\b"))
            {
                exported.Should().Contain(name.Value + (name.Value.EndsWith("_bucket", StringComparison.Ordinal) ? "{" : string.Empty), $"panel \"{panel}\" queries {name.Value}");
            }

            var query = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__range", "5m", StringComparison.Ordinal).Replace("$server", ".*", StringComparison.Ordinal);
            var answer = await prometheus.QueryAsync(query);
            answer.GetProperty("status").GetString().Should().Be("success", $"panel \"{panel}\": {query} → {answer}");
        }

        // And the denials panel shows a denial made after Prometheus first saw the series (a rate needs two samples).
        await prometheus.QueryUntilAsync("""sum(mcpgate_decisions_total{mcpgate_decision="deny"})""", v => v >= 1, TimeSpan.FromSeconds(30));
        (await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(4, "delete_file"))).Body.Should().Contain("capability_denied");
        var denials = expressions.Single(e => e.Panel == "Denials per server").Expr
            .Replace("rate(", "increase(", StringComparison.Ordinal).Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$server", ".*", StringComparison.Ordinal);
        (await prometheus.QueryUntilAsync(denials, v => v > 0, TimeSpan.FromSeconds(30))).Should().BePositive();
    }

    [Fact]
    public async Task Metrics_OfAGate_AreItsOwn_NotThoseOfAnotherGateInTheSameProcess()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var files = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var other = await RunningGate.StartAsync(OneReadingTests.Policy(upstream.McpUrl));
        await other.CatalogReadyAsync("ts");
        using var http = new HttpClient();
        using var response = await OneReadingTests.PostAsync(
            http, other.McpUrl("ts"), System.Text.Encoding.UTF8.GetBytes(FaultClient.ToolCall(1, "delete_file")), "application/json", "ts-reader-token");
        (await response.Content.ReadAsStringAsync()).Should().Contain("capability_denied");

        var mine = await http.GetStringAsync(new Uri(files.BaseUrl, "/metrics"));
        var theirs = await http.GetStringAsync(new Uri(other.BaseUrl, "/metrics"));

        theirs.Should().Contain("mcpgate_server=\"ts\"");
        mine.Should().NotContain("mcpgate_server=\"ts\"");
    }

    [Fact]
    public async Task ListenStreams_AreBucketedUpToHours_WhileMcpOperationsStopAtAMinute()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025, Resumable = true });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateful2025);
        await upstream.Spy.WaitForListenStreamAsync(gate.UpstreamSessionId(bob.SessionId!));
        await bob.DisposeAsync(); // ends its GET stream and sends DELETE
        using var http = new HttpClient();

        // Recorded once the stream's response has ended.
        var exported = await ScrapeUntilAsync(http, gate, "mcpgate_http_request_duration_seconds_bucket{", TimeSpan.FromSeconds(30));

        // A listen stream open for an hour must not land in +Inf with every other long one: its quantiles would say nothing.
        BucketBounds(exported, "mcpgate_http_request_duration_seconds_bucket").Should().Contain(["60", "3600", "14400"]);
        BucketBounds(exported, "mcp_server_operation_duration_seconds_bucket").Should().Contain("0.0001").And.NotContain("3600");
    }

    /// <summary>The gate's <c>/metrics</c> once it contains <paramref name="text"/>, or as it is when the time is up.</summary>
    private static async Task<string> ScrapeUntilAsync(HttpClient http, RunningGate gate, string text, TimeSpan timeout)
    {
        var exported = await http.GetStringAsync(new Uri(gate.BaseUrl, "/metrics"));
        for (var deadline = DateTime.UtcNow + timeout; !exported.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
            exported = await http.GetStringAsync(new Uri(gate.BaseUrl, "/metrics"));
        }

        return exported;
    }

    private static List<string> BucketBounds(string exported, string series) =>
        Regex.Matches(exported, series + """\{[^}]*le="([^"]+)"\}""").Select(m => m.Groups[1].Value).Distinct().ToList();

    [Fact]
    public async Task Metrics_AreNotServed_WhenTurnedOff()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, "\"telemetry\": { \"prometheus\": false }"));
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(gate.BaseUrl, "/metrics"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Metrics_RefuseAForeignHost_OnALoopbackGate()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient();
        using var rebound = new HttpRequestMessage(HttpMethod.Get, new Uri(gate.BaseUrl, "/metrics"));
        rebound.Headers.Host = "attacker.example";

        using var refused = await http.SendAsync(rebound);
        using var served = await http.GetAsync(new Uri(gate.BaseUrl, "/metrics"));

        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden, "a DNS-rebinding page must not read the gate's metrics");
        served.StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
