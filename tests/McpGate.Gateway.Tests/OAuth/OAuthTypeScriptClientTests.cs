using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.OAuth;

/// <summary>The official TypeScript SDK client's OAuth support, from the gate's URL alone (tests/clients/typescript/oauth-client.mjs).</summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class OAuthTypeScriptClientTests
{
    [Fact]
    public async Task TypeScriptSdkClient_Follows401ToTheMetadataAndTheIdP_GetsATokenForTheRoute_AndCalls()
    {
        await using var idp = await IdpPeer.StartAsync();
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await OAuthGate.StartGateAsync(idp, upstream.McpUrl);

        var (exitCode, stdout, stderr) = await NodePeers.RunNodeAsync("oauth-client.mjs", new Dictionary<string, string>
        {
            ["GATE_URL"] = gate.McpUrl("files").ToString(),
            ["CLIENT_ID"] = "ts-bot",
            ["CLIENT_SECRET"] = "ts-secret",
        });

        exitCode.Should().Be(0, stdout + stderr);
        using var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        result.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).Should().Contain("delete_file");
        result.RootElement.GetProperty("deleteIsError").GetBoolean().Should().BeFalse("ts-bot is in the sre group → admin");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(1);
        var lines = await gate.WaitForAuditLinesAsync(l => l.Any(line => line.GetProperty("tool").GetString() == "delete_file"));
        var row = lines.First(line => line.GetProperty("tool").GetString() == "delete_file");
        row.GetProperty("client_id").GetString().Should().Be("ts-bot");
        row.GetProperty("auth").GetString().Should().Be("oauth");
    }
}
