using BenchmarkDotNet.Attributes;
using McpGate.Audit;
using McpGate.Configuration;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Inspection;
using McpGate.Gateway.Telemetry;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace McpGate.Benchmarks.Telemetry;

/// <summary>
/// What metrics add to one allowed <c>tools/call</c> (docs/observability.md): the decision counted and the operation,
/// upstream and gate durations recorded, through the gate's own wiring (<c>AddGateTelemetry</c>) with the Prometheus
/// exporter's OpenTelemetry SDK listening (<c>on</c>) or nothing listening (<c>off</c>, the default when telemetry is
/// off). The load bench's <c>mcpgate-metrics</c> target measures the same end to end. Reported, not judged.
/// </summary>
[BenchmarkCategory("metrics")]
public class MetricsRecordingBenchmarks
{
    private ServiceProvider _services = null!;
    private GateMetrics _metrics = null!;
    private DefaultHttpContext _http = null!;
    private GateRequestContext _gate = null!;
    private InspectedMessage _message = null!;
    private Decision _decision;

    [Params("off", "on")]
    public string Telemetry { get; set; } = "on";

    [GlobalSetup]
    public void Setup()
    {
        var text = File.ReadAllText(RepoFiles.Find("bench/policy/servers.json"))
            .Replace("\"prometheus\": false", $"\"prometheus\": {(Telemetry == "on" ? "true" : "false")}", StringComparison.Ordinal);
        var config = ConfigLoader.Parse(text, "bench/policy/servers.json", name => name == "BENCH_UPSTREAM_URL" ? "http://127.0.0.1:1/mcp" : null);
        var services = new ServiceCollection();
        services.AddSingleton<IAuditHealth, IdleAudit>();
        services.AddSingleton(new UpstreamHealth(TimeProvider.System));
        services.AddGateTelemetry(config, loopbackOnly: true);
        _services = services.BuildServiceProvider();

        // The SDK starts listening when its provider is built, as the host does at start.
        var provider = _services.GetService<MeterProvider>();
        if ((provider is null) != (Telemetry == "off"))
        {
            throw new InvalidOperationException($"telemetry {Telemetry}, but the OpenTelemetry SDK is {(provider is null ? "absent" : "present")}");
        }

        _metrics = _services.GetRequiredService<GateMetrics>();
        var bob = new Identity("bob", ["dev"], AuthSource.Bearer);
        var tool = new ToolDescriptor("get_issue", "Get one issue of a repository by its number.", ["owner", "repo", "issue_number", "include"], true, false);
        _decision = config.Evaluator.Evaluate(bob, "github", TargetKind.Tool, tool.Name, new ToolClassifier().Classify("github", ToolAclOverrides.None, tool));
        _http = new DefaultHttpContext();
        _http.Request.Headers[McpHeaders.ProtocolVersion] = "2025-11-25";
        _message = new InspectedMessage { Kind = JsonRpcMessageKind.Request, Method = "tools/call", Name = tool.Name };
        _gate = new GateRequestContext
        {
            State = new GateState(config, DateTimeOffset.UtcNow, 1),
            Upstream = config.Servers["github"],
            Identity = bob,
            TraceId = "a4da404e3c088396829785566f0679c1",
            Instance = "bench",
            UpstreamTicks = 1_000,
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public void AllowedToolCall()
    {
        _metrics.Decided(_decision, _message.Method, AuditResults.Ok);
        _metrics.Completed(_http, _gate, _message, _decision, AuditResults.Ok);
    }

    private sealed class IdleAudit : IAuditHealth
    {
        public string Destination => "stdout";

        public long FailureCount => 0;

        public DateTimeOffset? LastFailureAt => null;

        public bool IsFailing => false;

        public int QueuedCount => 0;
    }
}
