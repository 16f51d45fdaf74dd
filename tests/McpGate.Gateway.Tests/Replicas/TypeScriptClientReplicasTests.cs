using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Issue 19 with the official TypeScript SDK on both sides: its client (tests/clients/typescript/replica-session.mjs)
/// runs one session through three built <c>mcp serve</c> processes behind a real HAProxy (round robin, no affinity),
/// key ring in a real <c>redis-server</c>, in front of an SDK server with sessions (stateful-upstream.mjs). Every
/// request may land on another replica, and each replica opens the sealed id and forwards the upstream's own.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
[Collection(GateReplicas.Collection)]
public sealed class TypeScriptClientReplicasTests : IAsyncLifetime
{
    private const int Calls = 6;

    private readonly TempDirectory _directory = new();
    private StatefulTypeScriptUpstream _upstream = null!;
    private GateReplicas _replicas = null!;
    private HaproxyServer _haproxy = null!;

    public async Task InitializeAsync()
    {
        _upstream = await StatefulTypeScriptUpstream.StartAsync();
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
    public async Task TypeScriptClientSession_IsServedByEveryReplica_InOneUpstreamSession_AndItsIdIsRefusedToOthersAndWhenAltered()
    {
        var (exitCode, stdout, stderr) = await NodePeers.RunNodeAsync("replica-session.mjs", new Dictionary<string, string>
        {
            ["GATE_URL"] = new Uri(_haproxy.BaseUrl, "/mcp/files").ToString(),
            ["TOKEN"] = GatePolicies.BobToken,
            ["CALLS"] = Calls.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        exitCode.Should().Be(0, stdout + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries);
        lines.Should().Contain("tools list_files,read_file").And.Contain("done");
        var sessionId = lines.Single(l => l.StartsWith("session ", StringComparison.Ordinal))["session ".Length..];

        var ran = await _upstream.TakeRanAsync();
        ran.Should().HaveCount(Calls, "no call was run twice, none was lost").And.OnlyContain(r => r.Tool == "read_file");
        ran.Select(r => r.Session).Distinct().Should().ContainSingle("every replica forwarded the upstream's one session id");
        var calls = _replicas.AuditLines().Where(l => l.GetProperty("event").GetString() == "mcp.tool_called").ToList();
        calls.Should().HaveCount(Calls).And.OnlyContain(l => l.GetProperty("result").GetString() == "ok" && l.GetProperty("subject").GetString() == "bob");
        calls.Select(l => l.GetProperty("gate_instance").GetString()).Distinct().Should().BeEquivalentTo(
            ["r1", "r2", "r3"], "round robin sent the session's calls to every replica");

        await _replicas.ShouldRefuseOthersAndAlteredIdsAsync("/mcp/files", GatePolicies.BobToken, GatePolicies.AliceToken, sessionId, TestMcpClient.LegacyProtocolVersion);
    }
}
