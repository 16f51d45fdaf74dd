using System.Diagnostics;
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
        var scriptDirectory = NodePeers.TypeScriptDirectory;
        await NodePeers.EnsureInstalledAsync();
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));

        var (exitCode, output) = await RunAsync("node", "flows.mjs", scriptDirectory, new Dictionary<string, string>
        {
            ["GATE_URL"] = gate.McpUrl("files").ToString(),
            ["READER_TOKEN"] = GatePolicies.BobToken,
            ["DEV_TOKEN"] = GatePolicies.AliceToken,
            ["EXPECT_READER_TOOLS"] = "read_file,list_files,web_search,get_weather",
            ["EXPECT_ALL_TOOLS"] = string.Join(",", upstream.ToolNames),
        });

        exitCode.Should().Be(0, output);
        output.Should().Contain("all flows passed");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string arguments, string directory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {arguments} did not finish within 3 minutes");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
