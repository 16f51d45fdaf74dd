using System.Net;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// An SDK client in its default mode tries 2026-07-28 (<c>server/discover</c>) first; a 2025-era upstream refuses it,
/// and the client falls back to <c>initialize</c>. Through the gate that only works if the refusal reaches the client
/// as the upstream sent it.
/// </summary>
[Trait("Category", "Network")]
public sealed class ProtocolFallbackTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private TestUpstream _upstream = null!;
    private RunningGate _gate = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        _gate = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gate.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task DefaultModeSdkClient_AgainstA2025Upstream_FallsBackToInitializeThroughTheGate()
    {
        await using var bob = await ConnectInDefaultModeAsync();

        var tools = await bob.ListToolsAsync();

        bob.NegotiatedProtocolVersion.Should().Be(TestMcpClient.LegacyProtocolVersion);
        bob.SessionId.Should().NotBeNullOrEmpty();
        tools.Select(t => t.Name).Should().BeEquivalentTo("read_file", "list_files", "web_search", "get_weather");
        _upstream.Spy.SawMethod("server/discover").Should().BeTrue("the client tried 2026-07-28 first");
    }

    [Fact]
    public async Task UpstreamsRefusalOfServerDiscover_ReachesTheCallerUnchanged()
    {
        await using (await ConnectInDefaultModeAsync())
        {
        }

        // The gate's own discovery probes with server/discover too; take the client's.
        var discover = _upstream.Spy.RequestsFor("server/discover").Should().ContainSingle(r => r.BodyText.Contains("mcpgate-test-client")).Subject;
        var headers = new Dictionary<string, string>();
        foreach (var name in new[] { "MCP-Protocol-Version", "Mcp-Method" })
        {
            if (discover.Header(name) is { } value)
            {
                headers[name] = value;
            }
        }

        var direct = await GateHttp.PostAsync(_http, _upstream.McpUrl, discover.BodyText, token: null, headers);
        var gated = await GateHttp.PostAsync(_http, _gate.McpUrl("files"), discover.BodyText, GatePolicies.BobToken, headers);

        direct.Status.Should().Be(HttpStatusCode.BadRequest, "this is the refusal the SDK client falls back on");
        gated.Status.Should().Be(direct.Status);
        gated.MediaType.Should().Be(direct.MediaType);
        gated.Body.Should().Be(direct.Body);
    }

    private Task<ModelContextProtocol.Client.McpClient> ConnectInDefaultModeAsync() =>
        TestMcpClient.ConnectAsync(_gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + GatePolicies.BobToken },
        });
}
