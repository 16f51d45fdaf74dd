using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using McpGate.Gateway.Stdio;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary><c>mcp serve</c>, run as a process, stopped with SIGTERM: no stdio child or grandchild is left running.</summary>
[Trait("Category", "Process")]
[Trait("Category", "Slow")]
public sealed class StdioServeShutdownTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mcpgate-stdio-sigterm-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Sigterm_to_mcp_serve_ends_every_child_and_what_it_started()
    {
        var config = Path.Combine(_directory.FullName, "servers.json");
        await File.WriteAllTextAsync(config, StdioPeers.Config("node", [Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs")]));
        var port = UnusedLoopback.Port();
        await using var serve = McpProcess.Start(_directory.FullName, ["serve", "--config", config, "--listen", $"127.0.0.1:{port}", "--audit-log", Path.Combine(_directory.FullName, "audit", "mcpgate-.jsonl")]);
        await serve.WaitForOutputLineAsync(line => line.StartsWith("McpGate listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        int child, grandchild;
        await using (var client = await TestMcpClient.ConnectAsync(new Uri($"http://127.0.0.1:{port}/mcp/files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + GatePolicies.AliceToken },
        }))
        {
            grandchild = int.Parse(Text(await client.CallToolAsync("spawn")), CultureInfo.InvariantCulture);
            child = JsonDocument.Parse(Text(await client.CallToolAsync("pid"))).RootElement.GetProperty("pid").GetInt32();
        }

        await serve.TerminateAsync();
        var run = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        run.ExitCode.Should().Be(0, run.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((ProcessTree.IsAlive(child) || ProcessTree.IsAlive(grandchild)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        ProcessTree.IsAlive(child).Should().BeFalse("mcp serve ends its stdio children before it exits");
        ProcessTree.IsAlive(grandchild).Should().BeFalse("and the processes they started");
    }

    private static string Text(CallToolResult result) => result.Content.OfType<TextContentBlock>().Single().Text;
}
