using System.Net;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>gateway.md §1.2 step 9 and the GET / DELETE routes: a 2025-era session's whole life through the gate.</summary>
[Trait("Category", "Network")]
public sealed class SessionLifecycleTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private TestUpstream _upstream = null!;
    private RunningGate _gate = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025, Resumable = true });
        _gate = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _gate.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task StandaloneGetStream_OpensThroughTheGate_WithTheSessionId_AndWithoutTheCallersToken()
    {
        await using var bob = await GateClients.ConnectAsync(_gate, GatePolicies.BobToken, UpstreamEra.Stateful2025);

        var upstreamSessionId = _gate.UpstreamSessionId(bob.SessionId!);
        var get = await _upstream.Spy.WaitForRequestAsync(r => r.HttpMethod == "GET" && r.Header("Mcp-Session-Id") == upstreamSessionId);
        // The upstream wrote the stream's priming event: the stream is open end to end, not just requested.
        await _upstream.Spy.WaitForListenStreamAsync(upstreamSessionId);

        get.Header("Authorization").Should().BeNull();
        get.Header("X-Upstream-Key").Should().Be("upstream-key-1");
    }

    [Fact]
    public async Task DisposingTheClient_SendsItsDeleteToTheUpstream_AndTheGateForgetsTheSession()
    {
        var bob = await GateClients.ConnectAsync(_gate, GatePolicies.BobToken, UpstreamEra.Stateful2025);
        var sessionId = bob.SessionId!;
        var upstreamSessionId = _gate.UpstreamSessionId(sessionId);

        await bob.DisposeAsync();
        await _upstream.Spy.WaitForRequestAsync(r => r.HttpMethod == "DELETE" && r.Header("Mcp-Session-Id") == upstreamSessionId);
        var seenBefore = _upstream.Spy.Requests.Count;
        var reply = await GateHttp.PostAsync(_http, _gate.McpUrl("files"), """{"jsonrpc":"2.0","id":5,"method":"tools/list"}""", GatePolicies.BobToken,
            new Dictionary<string, string> { ["Mcp-Session-Id"] = sessionId, ["MCP-Protocol-Version"] = TestMcpClient.LegacyProtocolVersion });

        reply.Status.Should().Be(HttpStatusCode.NotFound);
        _upstream.Spy.Requests.Skip(seenBefore).Should().NotContain(r => r.Header("Mcp-Session-Id") == upstreamSessionId, "the gate answered the ended session itself");
        _gate.AuditLines().Should().Contain(l => l.GetProperty("result").GetString() == "unknown_session" && l.GetProperty("subject").GetString() == "bob");
    }
}
