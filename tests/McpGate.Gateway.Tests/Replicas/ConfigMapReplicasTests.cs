using System.Net;
using System.Text.Json;
using McpGate.Gateway.Tests.Faults;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Issue 19, "Config on Kubernetes", as processes: three built <c>mcp serve</c> replicas read one ConfigMap-style
/// volume (<c>servers.json → ..data/servers.json</c>, <c>..data → ..&lt;timestamp&gt;/</c>), and the volume is updated
/// the way the kubelet does it (<see cref="ConfigMapVolume.Update"/>: new timestamped directory, <c>..data_tmp</c>,
/// rename over <c>..data</c>, old directory removed). Every replica applies the new policy without a restart, seen
/// through its own port, its console and its <c>/readyz</c>; a broken update is refused by every replica, which keep
/// the last good policy.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class ConfigMapReplicasTests : IAsyncLifetime
{
    private static readonly TimeSpan s_reloadTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();
    private TestUpstream _upstream = null!;
    private ServeReplicas _replicas = null!;
    private string _volume = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        _volume = _directory.Combine("configmap");
        Directory.CreateDirectory(_volume);
        var config = ConfigMapVolume.Create(_volume, GatePolicies.Standard(_upstream.McpUrl));
        _replicas = await ServeReplicas.StartAsync(_directory, config);
    }

    public async Task DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }

        await _upstream.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task KubeletSwap_IsAppliedByEveryReplica_AndABrokenOneRefusedByEvery_WithoutARestart()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var (_, port) in _replicas.All)
        {
            (await ReadFileAsync(http, port, GatePolicies.BobToken)).Should().BeTrue("bob is a reader in the first version");
        }

        // bob loses the reader role: read_file, allowed until now, is denied.
        ConfigMapVolume.Update(_volume, GatePolicies.Standard(_upstream.McpUrl).Replace("\"bob\": { \"roles\": [\"reader\"] }", "\"bob\": { \"roles\": [\"public-reader\"] }", StringComparison.Ordinal));

        await Task.WhenAll(_replicas.All.Select(r => r.Process.WaitForOutputLineAsync(line => line.Contains("Policy reloaded from", StringComparison.Ordinal), s_reloadTimeout)));
        foreach (var (_, port) in _replicas.All)
        {
            (await ReadFileAsync(http, port, GatePolicies.BobToken)).Should().BeFalse($"the replica on {port} applied the new version");
            var policy = (await ReadinessAsync(http, port)).GetProperty("policy");
            policy.GetProperty("revision").GetInt64().Should().Be(2);
            policy.GetProperty("refused_reloads").GetInt64().Should().Be(0);
        }

        // A broken update: every replica refuses it and keeps the second version (bob denied, alice allowed).
        ConfigMapVolume.Update(_volume, """{ "mcpServers": { "files": """);

        await Task.WhenAll(_replicas.All.Select(r => r.Process.WaitForOutputLineAsync(line => line.Contains("Policy change refused", StringComparison.Ordinal), s_reloadTimeout)));
        foreach (var (_, port) in _replicas.All)
        {
            (await ReadFileAsync(http, port, GatePolicies.BobToken)).Should().BeFalse("the last good version stays in force");
            (await ReadFileAsync(http, port, GatePolicies.AliceToken)).Should().BeTrue("the last good version stays in force, not a deny-all");
            var policy = (await ReadinessAsync(http, port)).GetProperty("policy");
            policy.GetProperty("revision").GetInt64().Should().Be(2);
            policy.GetProperty("refused_reloads").GetInt64().Should().BeGreaterThan(0);
        }
    }

    /// <summary>True when <paramref name="token"/>'s read_file call ran, false when the gate denied it.</summary>
    private static async Task<bool> ReadFileAsync(HttpClient http, int port, string token)
    {
        var reply = await GateHttp.PostAsync(http, ServeReplicas.McpUrl(port), FaultClient.ToolCall(1, "read_file"), token);
        reply.Status.Should().Be(HttpStatusCode.OK, reply.Body);
        return reply.Message!.Value.TryGetProperty("result", out _);
    }

    private static async Task<JsonElement> ReadinessAsync(HttpClient http, int port)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/readyz")));
        return document.RootElement.Clone();
    }
}
