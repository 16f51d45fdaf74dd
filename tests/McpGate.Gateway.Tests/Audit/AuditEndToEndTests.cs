using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGate.Audit;
using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Audit;

/// <summary>The audit log as the real gate writes it, in front of a real SDK upstream, read back from disk.</summary>
[Trait("Category", "Network")]
public sealed class AuditEndToEndTests
{
    [Fact]
    public async Task DeniedToolCall_LineWithEveryFieldIsOnDiskWhenTheDenialArrives_WithTheEnvelopesDecisionId()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient();

        using var response = await PostToolCallAsync(http, gate, GatePolicies.BobToken, "delete_file", """{"path":"secret-plans.txt","force":true}""", id: 41);

        // Read the file at once: the gate must have flushed the line before it answered.
        var lines = gate.AuditLines();
        using var envelope = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var decisionId = envelope.RootElement.GetProperty("error").GetProperty("data").GetProperty("decision_id").GetString();
        decisionId.Should().NotBeNullOrEmpty();
        var line = lines.Where(l => l.GetProperty("decision_id").GetString() == decisionId).Should().ContainSingle().Subject;
        line.EnumerateObject().Select(p => p.Name).Should().Equal(AuditFields.All);
        line.GetProperty("event").GetString().Should().Be("mcp.tool_called");
        line.GetProperty("result").GetString().Should().Be("capability_denied");
        line.GetProperty("decision").GetString().Should().Be("deny");
        line.GetProperty("subject").GetString().Should().Be("bob");
        line.GetProperty("server").GetString().Should().Be("files");
        line.GetProperty("tool").GetString().Should().Be("delete_file");
        line.GetProperty("jsonrpc_id").GetString().Should().Be("41");
        line.GetProperty("duration_ms").GetDouble().Should().Be(0);
        line.GetProperty("upstream_status").ValueKind.Should().Be(JsonValueKind.Null);
        line.GetProperty("arg_keys").EnumerateArray().Select(e => e.GetString()).Should().BeEquivalentTo("path", "force");
    }

    [Fact]
    public async Task DeniedAndAllowedCalls_NoLineHoldsTheTokenOrAnArgumentValue()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient();

        (await PostToolCallAsync(http, gate, GatePolicies.BobToken, "delete_file", """{"path":"value-secret-1.txt"}""", id: 1)).Dispose();
        (await PostToolCallAsync(http, gate, "wrong-token-value-9d1e", "read_file", """{"path":"value-secret-2.txt"}""", id: 2)).Dispose();

        var text = string.Concat(Directory.GetFiles(gate.AuditDirectory, "*.jsonl").Select(ReadShared));
        text.Should().Contain("\"delete_file\"").And.Contain("auth.failed");
        text.Should().NotContain(GatePolicies.BobToken).And.NotContain("wrong-token-value-9d1e");
        text.Should().NotContain("value-secret-1").And.NotContain("value-secret-2");
    }

    [Fact]
    public async Task ElevenDenialsThroughTheGate_FireTheCapabilityDeniedAlertForTheCaller()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient();
        for (var i = 0; i < 11; i++)
        {
            (await PostToolCallAsync(http, gate, GatePolicies.BobToken, "delete_file", """{"path":"x"}""", id: i)).Dispose();
        }

        var evaluator = new AlertEvaluator(BuiltInAlertRules.All, DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromHours(24));
        AuditLogScanner.Scan(AuditLogSource.Resolve(gate.AuditDirectory)!, Stream.Null, evaluator, CancellationToken.None);

        evaluator.MalformedLines.Should().Be(0);
        var alert = evaluator.Alerts().Should().ContainSingle().Subject;
        alert.Rule.Name.Should().Be(BuiltInAlertRules.CapabilityDenied);
        alert.GroupText.Should().Be("subject=bob");
        alert.Count.Should().Be(11);
    }

    private static async Task<HttpResponseMessage> PostToolCallAsync(HttpClient http, RunningGate gate, string token, string tool, string argumentsJson, int id)
    {
        var body = $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{argumentsJson}}}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, gate.McpUrl("files"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await http.SendAsync(request);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
