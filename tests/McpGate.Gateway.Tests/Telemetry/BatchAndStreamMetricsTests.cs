using System.Globalization;
using System.Net;
using System.Text;
using McpGate.Gateway.Telemetry;
using McpGate.Gateway.Tests.Functional;
using McpGate.Gateway.Tests.Security;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Telemetry;

/// <summary>
/// What <c>mcp.server.operation.duration</c> covers beyond a single-message POST (docs/observability.md): every element
/// of a batch is an operation of its own, and the GET stream and DELETE, which carry no MCP message, are measured at
/// the HTTP level instead. Real calls through a real gate, read by a <see cref="System.Diagnostics.Metrics.MeterListener"/>.
/// </summary>
[Trait("Category", "Network")]
[Trait("Category", "Process")]
public sealed class BatchAndStreamMetricsTests
{
    [Fact]
    public async Task EachBatchElement_IsAnOperation_WithItsOwnMethodAndOutcome_WhetherForwardedOrRefused()
    {
        await using var upstream = await TypeScriptUpstream.StartAsync(TypeScriptResponseMode.Json);
        await using var gate = await RunningGate.StartAsync(OneReadingTests.Policy(upstream.McpUrl));
        await gate.CatalogReadyAsync("ts");
        using var metrics = new MetricsRecorder(gate);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        const string forwarded = """
            [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"a"}}},
             {"jsonrpc":"2.0","id":2,"method":"ping"}]
            """;
        using (var response = await OneReadingTests.PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes(forwarded), "application/json", "ts-reader-token"))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // The reader may not delete: the gate answers both elements itself and forwards neither.
        const string refused = """
            [{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"a"}}},
             {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"a"}}}]
            """;
        using (var response = await OneReadingTests.PostAsync(http, gate.McpUrl("ts"), Encoding.UTF8.GetBytes(refused), "application/json", "ts-reader-token"))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var operations = metrics.Of(GateTelemetryNames.OperationDuration);
        operations.Select(o => (o.Tags["mcp.method.name"], o.Tags.GetValueOrDefault("error.type"))).Should().Equal(
            ("tools/call", null),
            ("ping", null),
            ("tools/call", "batch_refused"),
            ("tools/call", "capability_denied"));
        operations.Should().AllSatisfy(o =>
        {
            o.Tags["mcpgate.server"].Should().Be("ts");
            o.Value.Should().BeInRange(0, 10);
        });
        operations[0].Tags["gen_ai.tool.name"].Should().Be("read_file");
        operations[3].Tags.Should().NotContainKey("gen_ai.tool.name", "a denied call names no tool");

        // Only the forwarded batch had an upstream part: each of its elements took that whole exchange.
        metrics.Of(GateTelemetryNames.UpstreamDuration).Select(r => r.Tags["mcp.method.name"]).Should().Equal("tools/call", "ping");
    }

    [Fact]
    public async Task TheListenStreamAndDelete_AreMeasuredAtTheHttpLevel_NotAsMcpOperations()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025, Resumable = true });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var metrics = new MetricsRecorder(gate);

        var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateful2025);
        var upstreamSessionId = gate.UpstreamSessionId(bob.SessionId!);
        await upstream.Spy.WaitForListenStreamAsync(upstreamSessionId);
        await bob.DisposeAsync(); // ends its GET stream and sends DELETE
        await upstream.Spy.WaitForRequestAsync(r => r.HttpMethod == "DELETE" && r.Header("Mcp-Session-Id") == upstreamSessionId);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (metrics.Of(GateTelemetryNames.HttpRequestDuration).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var requests = metrics.Of(GateTelemetryNames.HttpRequestDuration);
        requests.Select(r => r.Tags["http.request.method"]).Should().BeEquivalentTo("GET", "DELETE");
        requests.Should().AllSatisfy(r =>
        {
            r.Tags["mcpgate.server"].Should().Be("files");
            int.Parse(r.Tags["http.response.status_code"]!, CultureInfo.InvariantCulture).Should().BeLessThan(300);
            r.Tags.Should().NotContainKey("error.type");
            r.Value.Should().BeInRange(0, 30);
        });

        // The POSTs' messages are the MCP operations; the GET and DELETE carry none, so none is invented for them.
        metrics.Of(GateTelemetryNames.OperationDuration).Select(o => o.Tags["mcp.method.name"]).Should().NotContain("_OTHER");
    }
}
