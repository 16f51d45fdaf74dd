using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using Xunit.Abstractions;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>
/// Many concurrent callers mixing allowed and denied calls: no 5xx from the gate, exactly one audit line per call,
/// the managed heap flat. 5 s in <c>dotnet test</c>; <c>fuzz/load.sh</c> runs the same test for 60 s
/// (<c>MCPGATE_LOAD_SECONDS</c>, <c>MCPGATE_LOAD_CLIENTS</c>, default 200).
/// </summary>
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class LoadTests(ITestOutputHelper output)
{
    private static readonly (string Token, string Tool, bool Allowed)[] s_mix =
    [
        (GatePolicies.BobToken, "read_file", true),
        (GatePolicies.BobToken, "delete_file", false),
        (GatePolicies.AliceToken, "get_weather", true),
        (GatePolicies.CarolToken, "read_file", false),
    ];

    [Fact]
    public async Task ConcurrentMixedCalls_NoServerError_OneAuditLinePerCall_HeapFlat()
    {
        var seconds = Setting("MCPGATE_LOAD_SECONDS", 5);
        var clients = Setting("MCPGATE_LOAD_CLIENTS", 200);
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026, JsonResponses = true });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { Timeout = TimeSpan.FromSeconds(30) };
        var url = gate.McpUrl("files");

        // Warm up (JIT, the tool catalog, connections) before the heap baseline is taken.
        await SendAsync(http, url, 0, 0);
        await SendAsync(http, url, 1, 1);
        var samples = new List<long>();
        var baseline = 0L;
        var stop = DateTime.UtcNow.AddSeconds(seconds);
        var counts = new long[6];
        var sequence = 1L;
        var clock = Stopwatch.StartNew();

        using var sampler = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            // The baseline is taken under full load, once the first second has warmed everything up.
            await Task.Delay(TimeSpan.FromSeconds(1), sampler.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
            upstream.Spy.Clear();
            baseline = GC.GetTotalMemory(forceFullCollection: true);
            while (!sampler.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, seconds / 10)), sampler.Token).ContinueWith(static _ => { }, TaskScheduler.Default);

                // The test upstream's spy keeps every request it saw; that is the test's memory, not the gate's.
                upstream.Spy.Clear();
                lock (samples)
                {
                    samples.Add(GC.GetTotalMemory(forceFullCollection: false));
                }
            }
        });

        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            while (DateTime.UtcNow < stop)
            {
                var n = Interlocked.Increment(ref sequence);
                var status = await SendAsync(http, url, n, client + n);
                Interlocked.Increment(ref counts[Math.Clamp(status / 100, 0, 5)]);
            }
        })));
        var elapsed = clock.Elapsed;
        await sampler.CancelAsync();
        await sampling;
        var sent = counts.Sum();
        var expectedLines = sent + 2;
        var lines = await WaitForAuditLinesAsync(gate, expectedLines);
        upstream.Spy.Clear();
        var end = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"{clients} clients, {elapsed.TotalSeconds:0.0} s: {sent} calls ({sent / elapsed.TotalSeconds:0} /s), 2xx {counts[2]}, 4xx {counts[4]}, 5xx {counts[5]}, other {counts[0] + counts[1] + counts[3]}");
        output.WriteLine($"audit lines {lines} (expected {expectedLines}); managed heap MiB baseline {Mib(baseline)}, samples {string.Join(' ', samples.Select(Mib))}, end {Mib(end)}; working set {Mib(Environment.WorkingSet)} MiB");
        counts[5].Should().Be(0, "the gate never answers a healthy upstream's traffic with a 5xx");
        counts[2].Should().Be(sent, "every call, allowed or denied, is answered 200");
        lines.Should().Be(expectedLines, "every call has exactly one audit line");
        (end - baseline).Should().BeLessThan(64L * 1024 * 1024, "the heap does not grow with the number of calls served");
    }

    private static async Task<int> SendAsync(HttpClient http, Uri url, long id, long pick)
    {
        var (token, tool, _) = s_mix[(int)(pick % s_mix.Length)];
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(FaultClient.ToolCall((int)(id % int.MaxValue), tool), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.TryAddWithoutValidation("Mcp-Method", "tools/call");
        request.Headers.TryAddWithoutValidation("Mcp-Name", tool);
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2026-07-28");
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return (int)response.StatusCode;
    }

    /// <summary>Allowed calls are audited when their forward ends, just after the caller has the answer.</summary>
    private static async Task<long> WaitForAuditLinesAsync(RunningGate gate, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long count;
        while ((count = gate.AuditLines().Count) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return count;
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture);

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
