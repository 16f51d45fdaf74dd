using System.Net;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Sessions;

/// <summary>
/// Sealed session ids (docs/deploy.md, "Sessions across replicas"): two gates sharing a key ring directory are two
/// replicas; a session initialized on one goes on through the other, bound to its subject and upstream, and an id
/// that is not the gate's own is refused by each with 404 and audited, the upstream never seeing it.
/// </summary>
[Trait("Category", "Network")]
public sealed class SealedSessionTests : IAsyncLifetime
{
    private const string ToolsList = """{"jsonrpc":"2.0","id":5,"method":"tools/list"}""";

    private readonly HttpClient _http = new();
    private readonly TempDirectory _keys = new();
    private TestUpstream _upstream = null!;
    private RunningGate _first = null!;
    private RunningGate _second = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        var config = GatePolicies.Standard(_upstream.McpUrl, $$"""
            "sessions": { "keyRing": {{JsonSerializer.Serialize(_keys.Path)}} }
            """);
        _first = await RunningGate.StartAsync(config);
        _second = await RunningGate.StartAsync(config);

        // The gates' own startup discovery is over before a test watches what reaches the upstream.
        await Task.WhenAll(_first.CatalogReadyAsync(), _second.CatalogReadyAsync());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _upstream.DisposeAsync();
        _keys.Dispose();
    }

    [Fact]
    public async Task SessionInitializedOnOneReplica_GoesOnThroughAnother_WhichForwardsTheUpstreamsOwnId()
    {
        await using var bob = await GateClients.ConnectAsync(_first, GatePolicies.BobToken, UpstreamEra.Stateful2025);
        var upstreamId = _first.UpstreamSessionId(bob.SessionId!);
        bob.SessionId.Should().NotBe(upstreamId, "the client sees the sealed id, never the upstream's");
        _upstream.Spy.Clear();

        var reply = await PostAsync(_second, GatePolicies.BobToken, bob.SessionId!);

        reply.Status.Should().Be(HttpStatusCode.OK);
        reply.Message!.Value.GetProperty("result").GetProperty("tools").GetArrayLength().Should().BeGreaterThan(0);
        _upstream.Spy.Requests.Should().ContainSingle().Which.Header("Mcp-Session-Id").Should().Be(upstreamId);
    }

    [Fact]
    public async Task AnotherSubjectsSessionId_IsRefusedByEveryReplica_AndAudited()
    {
        await using var alice = await GateClients.ConnectAsync(_first, GatePolicies.AliceToken, UpstreamEra.Stateful2025);
        _upstream.Spy.Clear();

        foreach (var gate in new[] { _first, _second })
        {
            var reply = await PostAsync(gate, GatePolicies.BobToken, alice.SessionId!);

            reply.Status.Should().Be(HttpStatusCode.NotFound);
            gate.AuditLines().Should().Contain(l => l.GetProperty("result").GetString() == "unknown_session" && l.GetProperty("subject").GetString() == "bob");
        }

        _upstream.Spy.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task TamperedOrBareUpstreamSessionIds_AreRefusedByEveryReplica()
    {
        await using var bob = await GateClients.ConnectAsync(_first, GatePolicies.BobToken, UpstreamEra.Stateful2025);
        var sealedId = bob.SessionId!;
        var middle = sealedId.Length / 2;
        var tampered = sealedId[..middle] + (sealedId[middle] == 'A' ? 'B' : 'A') + sealedId[(middle + 1)..];
        var bare = _first.UpstreamSessionId(sealedId);
        _upstream.Spy.Clear();

        foreach (var gate in new[] { _first, _second })
        {
            foreach (var presented in new[] { tampered, bare, sealedId + "x", "invented" })
            {
                (await PostAsync(gate, GatePolicies.BobToken, presented)).Status.Should().Be(HttpStatusCode.NotFound, $"'{presented}' is not an id this gate sealed");
            }
        }

        _upstream.Spy.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task WithoutASharedKeyRing_AnotherGateCannotOpenTheId()
    {
        await using var loner = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl));
        await using var bob = await GateClients.ConnectAsync(_first, GatePolicies.BobToken, UpstreamEra.Stateful2025);

        (await PostAsync(loner, GatePolicies.BobToken, bob.SessionId!)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    private Task<JsonRpcReply> PostAsync(RunningGate gate, string token, string sessionId) =>
        GateHttp.PostAsync(_http, gate.McpUrl("files"), ToolsList, token,
            new Dictionary<string, string> { ["Mcp-Session-Id"] = sessionId, ["MCP-Protocol-Version"] = TestMcpClient.LegacyProtocolVersion });
}
