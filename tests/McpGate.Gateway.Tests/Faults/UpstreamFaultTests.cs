using System.Net;
using System.Text;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using Microsoft.AspNetCore.Http;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>
/// A peer that is down, silent, broken mid-stream, or answering garbage: the caller gets a clear JSON-RPC error in
/// bounded time, the gate stays up, nothing is allowed by accident, and the audit says what happened. alice (dev:
/// everything) makes the calls that are forwarded; bob (reader) shows that an unclassifiable tool stays denied.
/// </summary>
[Trait("Category", "Network")]
public sealed class UpstreamFaultTests
{
    private const string FastTimeouts = "\"timeouts\": { \"activitySeconds\": 1, \"discoverySeconds\": 1, \"connectSeconds\": 2 }";

    [Fact]
    public async Task UpstreamDown_AllowedCall_GetsAJsonRpcErrorNamingTheCause_AndTheGateStaysUp()
    {
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(UnusedLoopback.McpUrl(), FastTimeouts));

        var answer = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(11, "read_file"));

        answer.Status.Should().Be(HttpStatusCode.BadGateway, answer.Body);
        answer.Error.Id.Should().Be("11");
        answer.Error.Message.Should().Be("upstream_unavailable");
        (await FaultClient.HealthAsync(gate)).Should().Be(HttpStatusCode.OK);
        await AuditWait.ForLineAsync(gate, l => AuditWait.IsUpstreamErrorFor(l, "read_file"));
    }

    [Fact]
    public async Task UpstreamDown_ReaderCallingAToolTheGateCannotClassify_IsDenied()
    {
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(UnusedLoopback.McpUrl(), FastTimeouts));

        var answer = await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(12, "read_file"));

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Error.Code.Should().Be(-32003, "an unknown tool needs write, and bob only reads");
    }

    [Fact]
    public async Task SilentUpstream_CallIsCutAtTheActivityTimeout_WithAJsonRpcError()
    {
        await using var silent = SilentUpstream.Start();
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(silent.McpUrl, FastTimeouts));

        var answer = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(13, "read_file"));

        answer.Status.Should().Be(HttpStatusCode.GatewayTimeout, answer.Body);
        answer.Error.Message.Should().Be("upstream_timeout");
        answer.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15), "activitySeconds is 1 and discoverySeconds is 1");
        await AuditWait.ForLineAsync(gate, l => AuditWait.IsUpstreamErrorFor(l, "read_file"));
    }

    [Fact]
    public async Task UpstreamAnswering500_CallerGetsAJsonRpcError_NotTheUpstreamsBody()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(static async context =>
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("Internal Server Error: stack trace at Upstream.Secret()");
        });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, FastTimeouts));

        var answer = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(14, "read_file"));

        answer.Status.Should().Be(HttpStatusCode.BadGateway, answer.Body);
        answer.Error.Id.Should().Be("14");
        answer.Error.Message.Should().Be("upstream_error");
        answer.Body.Should().NotContain("stack trace");
        var line = await AuditWait.ForLineAsync(gate, l => AuditWait.IsUpstreamErrorFor(l, "read_file"));
        line.GetProperty("upstream_status").GetInt32().Should().Be(500, "the audit keeps what the upstream said");
    }

    [Fact]
    public async Task UpstreamAnsweringInvalidJsonToAList_CallerGetsAJsonRpcErrorForTheRequestsId()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(static async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":15,\"result\":{\"tools\":[{\"name\":\"delete_file\"");
        });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, FastTimeouts));

        var answer = await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolsList(15));

        // Regression: the error used to carry id null, which no client matches to its request (it waited forever).
        answer.Error.Should().Be((-32603, "upstream_list_unreadable", "15"));
        answer.Body.Should().NotContain("delete_file");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json, text/plain")]
    [InlineData(null)]
    public async Task UpstreamAnsweringAListInAnotherMediaType_IsRefused_NotPassedOnUnfiltered(string? contentType)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            if (contentType is not null)
            {
                context.Response.Headers.ContentType = contentType;
            }

            await context.Response.WriteAsync("{\"jsonrpc\":\"2.0\",\"id\":18,\"result\":{\"tools\":[{\"name\":\"delete_file\",\"inputSchema\":{\"type\":\"object\"}}]}}");
        });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, FastTimeouts));

        var answer = await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolsList(18));

        answer.Status.Should().Be(HttpStatusCode.BadGateway);
        answer.Error.Should().Be((-32603, "upstream_error", "18"));
        answer.Body.Should().NotContain("delete_file", "bob may not see a write tool, and an unreadable list cannot be filtered");
    }

    [Fact]
    public async Task UpstreamAnsweringInvalidJsonToACall_IsAuditedAsAnUpstreamError()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(static async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("<html>not json</html>");
        });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, FastTimeouts));

        var answer = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, FaultClient.ToolCall(16, "read_file"));

        answer.Status.Should().NotBe(HttpStatusCode.InternalServerError);
        await AuditWait.ForLineAsync(gate, l => AuditWait.IsUpstreamErrorFor(l, "read_file"));
    }

    [Theory]
    [InlineData("tools/call")]
    [InlineData("tools/list")]
    public async Task UpstreamResetMidStream_CallerSeesTheStreamEnd_TheGateStaysUp_AndTheCallIsAudited(string method)
    {
        await using var upstream = await ScriptedUpstream.StartAsync(static async context =>
        {
            if (context.Request.Method != "POST")
            {
                context.Response.StatusCode = 405;
                return;
            }

            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("id: 1\ndata:\n\n");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("data: {\"jsonrpc\":\"2.0\",\"id\":17,\"result\":{\"to");
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, FastTimeouts));
        var json = method == "tools/call" ? FaultClient.ToolCall(17, "read_file") : FaultClient.ToolsList(17);

        var answer = await FaultClient.PostAsync(gate, GatePolicies.AliceToken, json);

        answer.Status.Should().NotBe(HttpStatusCode.InternalServerError);
        answer.Body.Should().NotContain("\"to", "a half event is never passed on as if it were whole");
        (await FaultClient.HealthAsync(gate)).Should().Be(HttpStatusCode.OK);
        if (method == "tools/call")
        {
            await AuditWait.ForLineAsync(gate, l => AuditWait.IsUpstreamErrorFor(l, "read_file"));
        }
    }
}
