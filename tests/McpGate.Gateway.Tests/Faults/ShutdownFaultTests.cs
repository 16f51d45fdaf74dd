using System.Diagnostics;
using System.Net;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>
/// SIGTERM while calls are running: the gate stops accepting, lets the in-flight calls finish and answers them, writes
/// their audit lines and exits 0 within its drain. Runs the built <c>mcp serve</c> as a process.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class ShutdownFaultTests : IDisposable
{
    private const int InFlight = 6;
    private const int Denied = 4;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mcpgate-sigterm-");
    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _started;

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    public async Task Sigterm_DuringCalls_LetsThemFinish_FlushesTheirAuditLines_AndExitsZero()
    {
        var slow = new TestTool("slow_read")
        {
            Description = "Reads slowly.",
            ReadOnlyHint = true,
            Respond = _ =>
            {
                if (Interlocked.Increment(ref _started) == InFlight)
                {
                    _allStarted.TrySetResult();
                }

                // The test holds every call inside the tool until the gate has begun shutting down.
                _release.Wait(TimeSpan.FromSeconds(30));
                return "slow result";
            },
        };
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026, ExtraTools = [slow] });
        var config = Path.Combine(_directory.FullName, "servers.json");
        await File.WriteAllTextAsync(config, GatePolicies.Standard(upstream.McpUrl));
        var port = UnusedLoopback.Port();
        var audit = Path.Combine(_directory.FullName, "audit", "mcpgate-.jsonl");
        await using var serve = McpProcess.Start(_directory.FullName, ["serve", "--config", config, "--listen", $"127.0.0.1:{port}", "--audit-log", audit]);
        await serve.WaitForOutputLineAsync(line => line.StartsWith("McpGate listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };

        var calls = Enumerable.Range(1, InFlight).Select(i => PostAsync(http, GatePolicies.AliceToken, FaultClient.ToolCall(100 + i, "slow_read"))).ToList();
        var denials = await Task.WhenAll(Enumerable.Range(1, Denied).Select(i => PostAsync(http, GatePolicies.BobToken, FaultClient.ToolCall(200 + i, "delete_file"))));
        await _allStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var terminated = Stopwatch.GetTimestamp();
        await serve.TerminateAsync();
        await WaitUntilRefusedAsync(http);
        _release.Set();
        var answers = await Task.WhenAll(calls);
        var run = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var drained = Stopwatch.GetElapsedTime(terminated);

        run.ExitCode.Should().Be(0, run.ToString());
        drained.Should().BeLessThan(TimeSpan.FromSeconds(30), "the gate drains within its 30 s, which the pod's 45 s grace period leaves room for after the 5 s preStop pause (docs/deploy.md)");
        answers.Should().OnlyContain(a => a.Status == HttpStatusCode.OK && a.Body.Contains("slow result"));
        denials.Should().OnlyContain(a => a.Status == HttpStatusCode.OK && a.Body.Contains("capability_denied"));
        var lines = AuditLines(Path.GetDirectoryName(audit)!);
        lines.Count(l => l.GetProperty("tool").GetString() == "slow_read" && l.GetProperty("result").GetString() == "ok").Should().Be(InFlight);
        lines.Count(l => l.GetProperty("result").GetString() == "capability_denied").Should().Be(Denied);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp/files") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Shutdown has begun once the listener refuses new connections.</summary>
    private static async Task WaitUntilRefusedAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await fresh.GetAsync("/healthz");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the gate kept accepting connections after SIGTERM");
    }

    private static List<JsonElement> AuditLines(string directory)
    {
        var lines = new List<JsonElement>();
        foreach (var file in Directory.GetFiles(directory, "*.jsonl"))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                if (line.Length > 0)
                {
                    lines.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        }

        return lines;
    }
}
