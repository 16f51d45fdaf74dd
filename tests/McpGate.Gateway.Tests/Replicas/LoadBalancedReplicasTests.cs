using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol.Client;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Issue 19 end to end: three built <c>mcp serve</c> processes behind a real HAProxy (round robin, no affinity), the
/// session key ring in a real <c>redis-server</c>, in front of a real SDK upstream with sessions. An SDK client's
/// session goes on whichever replica each request lands on, even when one is killed; no call runs twice; the
/// replicas' audit files hold exactly the calls made; a session id is refused by every replica to another subject or
/// once altered.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
[Collection(GateReplicas.Collection)]
public sealed class LoadBalancedReplicasTests : IAsyncLifetime
{
    private const int Calls = 12;

    private readonly TempDirectory _directory = new();
    private TestUpstream _upstream = null!;
    private GateReplicas _replicas = null!;
    private HaproxyServer _haproxy = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        _replicas = await GateReplicas.StartAsync(_directory, redis => GatePolicies.Standard(_upstream.McpUrl, redis));
        _haproxy = await HaproxyServer.StartAsync(_replicas.Ports);
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        await _replicas.DisposeAsync();
        await _upstream.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task SessionGoesOnAcrossReplicas_AndSurvivesOneBeingKilled_EachCallRunOnce_AndAuditedOnce()
    {
        await using var bob = await ConnectAsync(GatePolicies.BobToken);
        for (var i = 0; i < Calls; i++)
        {
            if (i == Calls / 2)
            {
                // Mid-run, the way a node goes away: no drain. The write-behind audit of the calls it answered has had
                // time to reach its file (it flushes within about 10 ms).
                await Task.Delay(200);
                _replicas.Kill(1);

                // HAProxy's health check sees it gone; the client does nothing about it.
                await Task.Delay(HaproxyServer.DetectionTime);
            }

            var result = await bob.CallToolAsync("read_file", GateClients.Args(("path", "/public/notes.txt")));
            result.IsError.Should().NotBe(true);
        }

        _upstream.Spy.ExecutedToolCount("read_file").Should().Be(Calls, "no call was run twice, none was lost");
        var calls = _replicas.AuditLines().Where(l => l.GetProperty("event").GetString() == "mcp.tool_called").OrderBy(l => l.GetProperty("ts").GetString(), StringComparer.Ordinal).ToList();
        calls.Should().HaveCount(Calls).And.OnlyContain(l => l.GetProperty("result").GetString() == "ok" && l.GetProperty("subject").GetString() == "bob");
        var instances = calls.Select(l => l.GetProperty("gate_instance").GetString()).ToList();
        instances.Take(Calls / 2).Distinct().Should().BeEquivalentTo(["r1", "r2", "r3"], "round robin sent the session's calls to every replica");
        instances.Skip(Calls / 2).Should().NotContain("r2", "the killed replica answered nothing more");
    }

    [Fact]
    public async Task AnotherSubjectsOrAnAlteredSessionId_IsRefusedByEveryReplica()
    {
        await using var bob = await ConnectAsync(GatePolicies.BobToken);
        await _replicas.ShouldRefuseOthersAndAlteredIdsAsync("/mcp/files", GatePolicies.BobToken, GatePolicies.AliceToken, bob.SessionId!, TestMcpClient.LegacyProtocolVersion);
    }

    private Task<McpClient> ConnectAsync(string token) =>
        TestMcpClient.ConnectAsync(new Uri(_haproxy.BaseUrl, "/mcp/files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
            ProtocolVersion = TestMcpClient.LegacyProtocolVersion,

            // The listen stream would pin one replica's connection; the calls are what this test spreads.
            StandaloneGetStream = false,
        });
}
