using System.Net;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Gateway.Tests.Stdio;
using McpGate.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Issue 19, <c>per-session</c> stdio upstreams on several replicas: a session's child runs on the replica whose
/// <c>initialize</c> started it, so the load balancer must send every later request of the session there. Three
/// built <c>mcp serve</c> processes (key ring in a real <c>redis-server</c>) behind a real HAProxy run with the
/// configuration docs/deploy.md documents (deploy/haproxy/haproxy.cfg, read as it is), in front of a real stdio
/// server (tests/peers/stdio/scripted-server.mjs, whose <c>pid</c> tool names the child and the replica that started it).
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
[Collection(GateReplicas.Collection)]
public sealed class StdioSessionAffinityTests : IAsyncLifetime
{
    private const int Sessions = 6;
    private const int CallsPerSession = 4;

    private readonly TempDirectory _directory = new();
    private GateReplicas _replicas = null!;
    private HaproxyServer _haproxy = null!;

    public async Task InitializeAsync()
    {
        _replicas = await GateReplicas.StartAsync(_directory, redis => StdioPeers.Config(
            "node", [Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs")], stdio: """{ "sharing": "per-session" }""", gateway: redis));
        _haproxy = await DocumentedHaproxy.StartAsync(_replicas.Ports);
    }

    public async Task DisposeAsync()
    {
        await _haproxy.DisposeAsync();
        await _replicas.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task EverySessionsCalls_ReachTheChildItsInitializeStarted_WhileInitializesGoRoundRobin()
    {
        var clients = new List<McpClient>();
        try
        {
            for (var i = 0; i < Sessions; i++)
            {
                clients.Add(await ConnectAsync());
            }

            // The sessions' calls interleaved, as concurrent clients' are: each call is a new choice for the balancer.
            var children = clients.Select(_ => new List<Child>()).ToList();
            for (var call = 0; call < CallsPerSession; call++)
            {
                for (var s = 0; s < Sessions; s++)
                {
                    children[s].Add(await ChildAsync(clients[s]));
                }
            }

            children.Should().OnlyContain(calls => calls.Distinct().Count() == 1, "every call of a session reached the child its initialize started");
            children.Select(calls => calls[0].Pid).Distinct().Should().HaveCount(Sessions, "each session has a child of its own");
            var replicaOf = children.Select(calls => ReplicaOf(calls[0])).ToList();
            replicaOf.Distinct().Should().HaveCount(_replicas.Count, "round robin spread the sessions' initialize requests over every replica");

            var called = _replicas.AuditLines().Where(l => l.GetProperty("event").GetString() == "mcp.tool_called").ToList();
            called.Should().HaveCount(Sessions * CallsPerSession).And.OnlyContain(l => l.GetProperty("result").GetString() == "ok");
            called.GroupBy(l => l.GetProperty("gate_instance").GetString()).ToDictionary(g => g.Key!, g => g.Count())
                .Should().BeEquivalentTo(replicaOf.GroupBy(GateReplicas.Instance).ToDictionary(g => g.Key, g => g.Count() * CallsPerSession),
                    "each replica served exactly the calls of the sessions it started");
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task WhenASessionsReplicaDies_ItsClientGets404AndStartsOver_TheOtherSessionsCarryOn()
    {
        await using var first = await ConnectAsync();
        await using var second = await ConnectAsync();
        var firstChild = await ChildAsync(first);
        var secondChild = await ChildAsync(second);
        var dead = ReplicaOf(firstChild);
        ReplicaOf(secondChild).Should().NotBe(dead, "round robin started the two sessions on two replicas");

        // No drain, and no waiting for HAProxy's health check: the request is retried on another replica when the
        // connection is refused.
        _replicas.Kill(dead);

        // A request sent in the very instant may still go out on an idle connection HAProxy kept to the dead replica
        // and get 502; half a second lets HAProxy see those connections closed (still well before a health check).
        await Task.Delay(500);
        using var http = new HttpClient();
        var reply = await GateHttp.PostAsync(http, new Uri(_haproxy.BaseUrl, "/mcp/files"),
            """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"pid"}}""", GatePolicies.AliceToken,
            new Dictionary<string, string> { ["Mcp-Session-Id"] = first.SessionId!, ["MCP-Protocol-Version"] = TestMcpClient.LegacyProtocolVersion });

        // MCP (Streamable HTTP, session management): a client that gets 404 for its session id starts a new session.
        reply.Status.Should().Be(HttpStatusCode.NotFound, reply.Body);
        reply.Error.GetProperty("code").GetInt32().Should().Be(-32001, reply.Body);
        await using var again = await ConnectAsync();
        ReplicaOf(await ChildAsync(again)).Should().NotBe(dead);
        (await ChildAsync(second)).Should().Be(secondChild, "a session on a live replica carries on with its child");
    }

    private Task<McpClient> ConnectAsync() =>
        TestMcpClient.ConnectAsync(new Uri(_haproxy.BaseUrl, "/mcp/files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + GatePolicies.AliceToken },

            // A per-session child needs a session: the 2025 handshake (docs/stdio.md).
            ProtocolVersion = TestMcpClient.LegacyProtocolVersion,
        });

    private static async Task<Child> ChildAsync(McpClient client)
    {
        var result = await client.CallToolAsync("pid");
        result.IsError.Should().NotBe(true);
        var pid = JsonDocument.Parse(result.Content.OfType<TextContentBlock>().Single().Text).RootElement;
        return new Child(pid.GetProperty("pid").GetInt32(), pid.GetProperty("ppid").GetInt32());
    }

    /// <summary>The replica that started <paramref name="child"/>: the gate runs the command itself, so it is the parent.</summary>
    private int ReplicaOf(Child child) =>
        Enumerable.Range(0, _replicas.Count).Single(i => _replicas.ProcessId(i) == child.ParentPid);

    private sealed record Child(int Pid, int ParentPid);
}
