using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// The flows of <see cref="GateFlowTests"/> driven by the official TypeScript SDK client (npm
/// <c>@modelcontextprotocol/sdk</c>), the client most MCP hosts embed. The script is tests/clients/typescript/flows.mjs.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class TypeScriptClientTests
{
    [Fact]
    public async Task TypeScriptSdkClient_SeesFilteredTools_IsDeniedBeforeExecution_AndRoundTripsElicitation()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));

        var (exitCode, stdout, stderr) = await NodePeers.RunNodeAsync("flows.mjs", new Dictionary<string, string>
        {
            ["GATE_URL"] = gate.McpUrl("files").ToString(),
            ["READER_TOKEN"] = GatePolicies.BobToken,
            ["DEV_TOKEN"] = GatePolicies.AliceToken,
            ["EXPECT_READER_TOOLS"] = "read_file,list_files,web_search,get_weather",
            ["EXPECT_ALL_TOOLS"] = string.Join(",", upstream.ToolNames),
        });

        var output = stdout + stderr;
        exitCode.Should().Be(0, output);
        output.Should().Contain("all flows passed");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
    }
}
