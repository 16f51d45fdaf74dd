using System.Net;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// <see cref="ServeReplicas"/> sharing a real <c>redis-server</c> (the session key ring), as the replicas of
/// docs/deploy.md, with what the load-balancer tests ask of them: kill one, find a stdio child's replica, present a
/// session id to each, read their audit files as one log.
/// </summary>
internal sealed class GateReplicas : IAsyncDisposable
{
    /// <summary>
    /// The xunit collection of the classes that start replicas: each runs three gate processes and a load balancer
    /// whose health checks take a replica out when it answers late, so they run one after another, not at once.
    /// </summary>
    public const string Collection = "Gate replicas";

    private readonly TempDirectory _directory;
    private readonly RedisServer _redis;
    private ServeReplicas _replicas = null!;

    private GateReplicas(TempDirectory directory, RedisServer redis)
    {
        _directory = directory;
        _redis = redis;
    }

    public int Count => _replicas.All.Count;

    public IReadOnlyList<int> Ports => [.. _replicas.All.Select(r => r.Port)];

    /// <summary>
    /// Starts Redis, then <paramref name="count"/> replicas in <paramref name="directory"/> of the config
    /// <paramref name="config"/> makes of the Redis connection string (the members of a <c>gateway</c> object:
    /// <c>"redis": "127.0.0.1:port"</c>).
    /// </summary>
    public static async Task<GateReplicas> StartAsync(TempDirectory directory, Func<string, string> config, int count = 3)
    {
        var started = new GateReplicas(directory, await RedisServer.StartAsync());
        try
        {
            var configPath = directory.WriteFile("servers.json", config($"\"redis\": \"{started._redis.ConnectionString}\""));
            started._replicas = await ServeReplicas.StartAsync(directory, configPath, count);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>The <c>gate_instance</c> replica <paramref name="index"/> writes.</summary>
    public static string Instance(int index) => $"r{index + 1}";

    /// <summary>The process id of replica <paramref name="index"/> (the parent of the stdio children it starts).</summary>
    public int ProcessId(int index) => _replicas.All[index].Process.Id;

    /// <summary>SIGKILL to replica <paramref name="index"/> and everything it started, as a node going away: no drain.</summary>
    public void Kill(int index) => _replicas.All[index].Process.Kill();

    /// <summary>
    /// Straight to each replica (no load balancer), <paramref name="sealedId"/> is refused (404) to
    /// <paramref name="otherToken"/>'s subject and once one character of it is altered, and still opens for
    /// <paramref name="ownerToken"/>, whose session it is; each refusal is audited as <c>unknown_session</c>.
    /// </summary>
    public async Task ShouldRefuseOthersAndAlteredIdsAsync(string path, string ownerToken, string otherToken, string sealedId, string protocolVersion)
    {
        var middle = sealedId.Length / 2;
        var altered = sealedId[..middle] + (sealedId[middle] == 'A' ? 'B' : 'A') + sealedId[(middle + 1)..];
        var refusedBefore = AuditLines().Count(IsUnknownSession);

        (await PostToEachAsync(path, otherToken, sealedId, protocolVersion)).Should().AllBeEquivalentTo(HttpStatusCode.NotFound, "another subject holds the id");
        (await PostToEachAsync(path, ownerToken, altered, protocolVersion)).Should().AllBeEquivalentTo(HttpStatusCode.NotFound, "the id was altered");
        (await PostToEachAsync(path, ownerToken, sealedId, protocolVersion)).Should().AllBeEquivalentTo(HttpStatusCode.OK, "the owner's id opens on every replica");
        AuditLines().Count(IsUnknownSession).Should().Be(refusedBefore + 2 * Count);
    }

    /// <summary>POSTs <c>tools/list</c> with <paramref name="sessionId"/> to every replica; the statuses, in replica order.</summary>
    private async Task<List<HttpStatusCode>> PostToEachAsync(string path, string token, string sessionId, string protocolVersion)
    {
        using var http = new HttpClient();
        var statuses = new List<HttpStatusCode>();
        foreach (var port in Ports)
        {
            var reply = await GateHttp.PostAsync(http, new Uri($"http://127.0.0.1:{port}{path}"), """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", token,
                new Dictionary<string, string> { ["Mcp-Session-Id"] = sessionId, ["MCP-Protocol-Version"] = protocolVersion });
            statuses.Add(reply.Status);
        }

        return statuses;
    }

    private static bool IsUnknownSession(JsonElement line) => line.GetProperty("result").GetString() == "unknown_session";

    /// <summary>Every line of every replica's audit files (audit lines are flushed within about 10 ms).</summary>
    public List<JsonElement> AuditLines()
    {
        Thread.Sleep(300);
        var lines = new List<JsonElement>();
        var audit = _directory.Combine("audit");

        // A replica creates its file with its first line.
        foreach (var file in Directory.Exists(audit) ? Directory.GetFiles(audit, "mcpgate-*.jsonl") : [])
        {
            lines.AddRange(TempDirectory.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()));
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }
}
