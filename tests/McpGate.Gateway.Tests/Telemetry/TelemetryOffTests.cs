using System.Diagnostics;
using System.Text;
using McpGate.Audit;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Inspection;
using McpGate.Gateway.Telemetry;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Evaluation;
using McpGate.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;

namespace McpGate.Gateway.Tests.Telemetry;

/// <summary>
/// With nothing listening (no exporter configured), recording a request's metrics and asking for its span cost no
/// allocation: the hot path pays a flag read per instrument (docs/observability.md, "Off costs nothing").
/// </summary>
[Collection(nameof(TracingListeners))]
public sealed class TelemetryOffTests
{
    [Fact]
    public void NoListener_RecordingARequestsMetrics_AndStartingItsSpan_AllocateNothing()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new GateMetrics(services.GetRequiredService<IMeterFactory>(), new NoAudit(), new UpstreamHealth(new FakeTimeProvider()));
        var stdio = new StdioMetrics(services.GetRequiredService<IMeterFactory>());
        var config = Policies.Parse("""
            { "mcpServers": { "files": { "url": "http://127.0.0.1:1/mcp" } },
              "serverAuth": { "acl": { "default": "deny", "roles": { "dev": [ { "server": "*", "access": "*" } ] } } } }
            """);
        var identity = Identities.Of("alice", "dev");
        var decision = config.Evaluator.Evaluate(identity, "files", TargetKind.Tool, "delete_file", Classified.Write);
        var message = JsonRpcInspector.Inspect(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file"}}""")).Messages[0];
        var gate = new GateRequestContext
        {
            State = new GateState(config, DateTimeOffset.UtcNow, 1),
            Upstream = config.Servers["files"],
            Identity = identity,
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            Instance = "test",
            Decision = decision,
            UpstreamTicks = 1000,
        };
        var context = new DefaultHttpContext();
        context.Request.Headers[McpHeaders.ProtocolVersion] = "2026-07-28";

        GateTracing.Source.HasListeners().Should().BeFalse();
        var spans = 0;
        Record(); // JIT and first-use caches
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Record();
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        spans.Should().Be(0);

        void Record()
        {
            spans += GateTracing.StartRequest(context) is null ? 0 : 1;
            metrics.Decided(decision, message.Method, AuditResults.Ok);
            metrics.Completed(context, gate, message, decision, AuditResults.Ok);
            metrics.ListFiltered(gate, 3);
            metrics.HttpRequestCompleted(context, gate);
            stdio.Started("files", StdioReasons.Restart);
            stdio.Exited("files", StdioReasons.Crashed);
            stdio.Refused("files");
        }
    }

    private sealed class NoAudit : IAuditHealth
    {
        public string Destination => "none";

        public long FailureCount => 0;

        public DateTimeOffset? LastFailureAt => null;

        public bool IsFailing => false;

        public int QueuedCount => 0;
    }
}
