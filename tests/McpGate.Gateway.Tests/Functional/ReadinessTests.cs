using System.Net;
using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// <c>/readyz</c> under the readiness rule: one unreachable upstream degrades the gate but keeps it in a load
/// balancer's rotation (200, the other routes still served); with no reachable upstream it is out (503).
/// </summary>
[Trait("Category", "Network")]
public sealed class ReadinessTests : IAsyncLifetime
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() =>
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task OneUnreachableUpstream_IsReportedAndDegradesButStaysReady()
    {
        await using var gate = await RunningGate.StartAsync(Config(("files", _upstream.McpUrl), ("down", UnusedLoopback.McpUrl())));

        var (status, body) = await ReadinessWhenCheckedAsync(gate, "files", "down");

        status.Should().Be(HttpStatusCode.OK, body.ToString());
        body.GetProperty("ready").GetBoolean().Should().BeTrue();
        body.GetProperty("status").GetString().Should().Be("degraded");
        body.GetProperty("upstreams").GetProperty("files").GetProperty("reachable").GetBoolean().Should().BeTrue();
        var down = body.GetProperty("upstreams").GetProperty("down");
        down.GetProperty("reachable").GetBoolean().Should().BeFalse();
        down.GetProperty("last_error").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task EveryUpstreamReachable_IsHealthy()
    {
        await using var gate = await RunningGate.StartAsync(Config(("files", _upstream.McpUrl)));

        var (status, body) = await ReadinessWhenCheckedAsync(gate, "files");

        status.Should().Be(HttpStatusCode.OK, body.ToString());
        body.GetProperty("status").GetString().Should().Be("healthy");
        body.GetProperty("ready").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task NoReachableUpstream_IsNotReady()
    {
        await using var gate = await RunningGate.StartAsync(Config(("down", UnusedLoopback.McpUrl())));

        var (status, body) = await ReadinessWhenCheckedAsync(gate, "down");

        status.Should().Be(HttpStatusCode.ServiceUnavailable, body.ToString());
        body.GetProperty("status").GetString().Should().Be("unhealthy");
        body.GetProperty("ready").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Healthz_IsPlainOkWhateverTheUpstreams()
    {
        await using var gate = await RunningGate.StartAsync(Config(("down", UnusedLoopback.McpUrl())));
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(gate.BaseUrl, "/healthz"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("ok\n");
    }

    private static string Config(params (string Alias, Uri Url)[] upstreams) =>
        "{ \"mcpServers\": { " + string.Join(", ", upstreams.Select(u => $"\"{u.Alias}\": {{ \"url\": \"{u.Url}\" }}")) + " } }";

    /// <summary>Polls <c>/readyz</c> until the startup discovery of every named upstream has reported.</summary>
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadinessWhenCheckedAsync(RunningGate gate, params string[] aliases)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + s_deadline;
        while (true)
        {
            using var response = await http.GetAsync(new Uri(gate.BaseUrl, "/readyz"));
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var upstreams = document.RootElement.GetProperty("upstreams");
            if (aliases.All(alias => upstreams.GetProperty(alias).GetProperty("last_checked").ValueKind != JsonValueKind.Null) || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, document.RootElement.Clone());
            }

            await Task.Delay(50);
        }
    }
}
