using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using McpGate.Gateway.Telemetry;
using McpGate.Gateway.Tests.Functional;
using McpGate.Gateway.Tests.Security;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Telemetry;

/// <summary>Tracing listeners are process-wide: these tests run on their own, not beside other tests' gates.</summary>
[CollectionDefinition(nameof(TracingListeners), DisableParallelization = true)]
public sealed class TracingListeners;

/// <summary>
/// Traces (docs/observability.md, "Traces") end to end: a real gate in front of a real upstream built on the official
/// TypeScript SDK, whose request log shows the <c>traceparent</c> each call arrived with; the audit row's
/// <c>trace_id</c> must be that trace, with tracing on or off.
/// </summary>
[Collection(nameof(TracingListeners))]
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class GateTracingTests
{
    // OneReadingTests.Policy's reader: may read, may not delete (the delete is the denial).
    private const string ReaderToken = "ts-reader-token";
    private const string CallerTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpanId = "00f067aa0ba902b7";
    private const string ReadFile = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"/a.txt"}}}""";
    private const string DeleteFile = """{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"/a.txt"}}}""";

    [Fact]
    public async Task TracingOff_NothingListens_YetTheUpstreamGetsATraceparentInTheAuditRowsTrace()
    {
        await using var upstream = await TypeScriptUpstream.StartAsync();
        await using var gate = await RunningGate.StartAsync(OneReadingTests.Policy(upstream.McpUrl).Replace("\"serverAuth\"", "\"gateway\": { \"telemetry\": { \"prometheus\": false } },\n  \"serverAuth\"", StringComparison.Ordinal));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // No exporter configured: no listener on the gate's source nor on ASP.NET Core's, so no request makes an Activity.
        GateTracing.Source.HasListeners().Should().BeFalse();
        using (var hosting = new ActivitySource("Microsoft.AspNetCore"))
        {
            hosting.HasListeners().Should().BeFalse();
        }

        // A caller's trace continues...
        (await PostAsync(http, gate, ReadFile, $"00-{CallerTraceId}-{CallerSpanId}-01")).Should().Be(HttpStatusCode.OK);
        var continued = (await upstream.TakeRanAsync()).Should().ContainSingle().Which.TraceParent;
        var continuedParts = continued!.Split('-');
        (continuedParts[0], continuedParts[1], continuedParts[3]).Should().Be(("00", CallerTraceId, "01"));
        continuedParts[2].Should().MatchRegex("^[0-9a-f]{16}$").And.NotBe(CallerSpanId, "the gate is a hop of its own: the upstream's parent is the gate, not the caller");

        // ...and a call without one starts a trace, which the upstream hears of too.
        (await PostAsync(http, gate, ReadFile, traceparent: null)).Should().Be(HttpStatusCode.OK);
        var started = (await upstream.TakeRanAsync()).Should().ContainSingle().Which.TraceParent;
        started.Should().MatchRegex("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$");

        var lines = await gate.WaitForAuditLinesAsync(ls => ls.Count(l => Text(l, "event") == "mcp.tool_called") == 2);
        lines.Where(l => Text(l, "event") == "mcp.tool_called").Select(l => Text(l, "trace_id"))
            .Should().Equal(CallerTraceId, started!.Split('-')[1]);
    }

    [Fact]
    public async Task TracingOn_OneSpanPerRequest_WithSemanticConventionsAndTheDecision_InTheCallersTrace_AndTheUpstreamsParent()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GateTelemetryNames.Source,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var upstream = await TypeScriptUpstream.StartAsync();
        await using var gate = await RunningGate.StartAsync(OneReadingTests.Policy(upstream.McpUrl));
        await gate.CatalogReadyAsync("ts");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        (await PostAsync(http, gate, ReadFile, $"00-{CallerTraceId}-{CallerSpanId}-01")).Should().Be(HttpStatusCode.OK);
        (await PostAsync(http, gate, DeleteFile, $"00-{CallerTraceId}-{CallerSpanId}-01")).Should().Be(HttpStatusCode.OK);

        var lines = await gate.WaitForAuditLinesAsync(ls => ls.Count(l => Text(l, "event") == "mcp.tool_called") == 2);
        var rows = lines.Where(l => Text(l, "event") == "mcp.tool_called").ToList();
        var ours = spans.Where(s => s.TraceId.ToHexString() == CallerTraceId).ToList();
        ours.Select(s => s.DisplayName).Should().Equal("tools/call read_file", "tools/call delete_file");

        var allowed = ours[0];
        allowed.Kind.Should().Be(ActivityKind.Server);
        allowed.ParentSpanId.ToHexString().Should().Be(CallerSpanId);
        allowed.Status.Should().Be(ActivityStatusCode.Unset);
        Tags(allowed).Should().Contain(new Dictionary<string, string?>
        {
            ["mcp.method.name"] = "tools/call",
            ["gen_ai.tool.name"] = "read_file",
            ["gen_ai.operation.name"] = "execute_tool",
            ["jsonrpc.request.id"] = "7",
            ["mcpgate.server"] = "ts",
            ["mcpgate.decision"] = "allow",
            ["mcpgate.matched_rule"] = Text(rows[0], "matched_rule"),
            ["mcpgate.decision_id"] = Text(rows[0], "decision_id"),
            ["mcpgate.result"] = "ok",
        });
        rows[0].GetProperty("trace_id").GetString().Should().Be(CallerTraceId);

        // The upstream's parent is the gate's span (or its HTTP client child), in the caller's trace.
        var ran = (await upstream.TakeRanAsync()).Should().ContainSingle().Which.TraceParent!.Split('-');
        ran[1].Should().Be(CallerTraceId);
        ran[2].Should().NotBe(CallerSpanId);

        var denied = ours[1];
        denied.Status.Should().Be(ActivityStatusCode.Error);
        Tags(denied).Should().Contain(new Dictionary<string, string?>
        {
            ["mcpgate.decision"] = "deny",
            ["error.type"] = "capability_denied",
            ["mcpgate.decision_id"] = Text(rows[1], "decision_id"),
        });
        denied.Tags.Select(t => t.Value).Should().NotContain(v => v != null && v.Contains(ReaderToken));
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, RunningGate gate, string json, string? traceparent)
    {
        var headers = traceparent is null ? null : new Dictionary<string, string> { ["traceparent"] = traceparent };
        using var response = await OneReadingTests.PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes(json), "application/json", ReaderToken, headers: headers);
        return response.StatusCode;
    }

    private static Dictionary<string, string?> Tags(Activity activity) =>
        activity.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString());

    private static string? Text(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
