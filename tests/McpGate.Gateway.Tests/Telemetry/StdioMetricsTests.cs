using System.Text.Json;
using McpGate.Gateway.Stdio;
using McpGate.Gateway.Telemetry;
using McpGate.Gateway.Tests.Functional;
using McpGate.Gateway.Tests.Stdio;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGate.Gateway.Tests.Telemetry;

/// <summary>
/// The stdio children on the gate's meter (docs/observability.md, "stdio children"), with the scripted stdio server of
/// tests/peers/stdio under a real gate and the official C# SDK client.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Slow")]
public sealed class StdioMetricsTests
{
    private static readonly string s_script = Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs");

    [Fact]
    public async Task A_shared_child_that_crashes_counts_a_crash_and_a_restart_and_its_processes_and_sessions_are_observed()
    {
        await using var gate = await RunningGate.StartAsync(StdioPeers.Config("node", [s_script]));
        await gate.CatalogReadyAsync();
        using var metrics = new MetricsRecorder(gate);
        await using var client = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "before" });

        var crash = async () => await client.CallToolAsync("crash");
        await crash.Should().ThrowAsync<McpException>();
        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "after" });

        metrics.Of(GateTelemetryNames.StdioExits).Select(r => (r.Tags["mcpgate.server"], r.Tags["mcpgate.stdio.reason"])).Should().Equal(("files", "crashed"));
        metrics.Of(GateTelemetryNames.StdioStarts).Select(r => (r.Tags["mcpgate.server"], r.Tags["mcpgate.stdio.reason"])).Should().Equal(("files", "restart"));

        metrics.Observe();
        var processes = metrics.Of(GateTelemetryNames.StdioProcesses).Should().ContainSingle().Which;
        (processes.Value, processes.Tags["mcpgate.server"]).Should().Be((1, "files"));
        metrics.Of(GateTelemetryNames.StdioSessions).Should().ContainSingle().Which.Value.Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Per_session_children_count_their_starts_the_refusals_of_the_cap_and_the_sessions_ended()
    {
        await using var gate = await RunningGate.StartAsync(StdioPeers.Config("node", [s_script], """{ "sharing": "per-session", "maxProcesses": 1 }"""));
        await gate.CatalogReadyAsync();
        var upstream = gate.Services.GetStdio().Peek("files")!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (upstream.RunningProcesses > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50); // the discovery's own session ends on its own time
        }

        using var metrics = new MetricsRecorder(gate);
        var first = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        var pid = JsonDocument.Parse((await first.CallToolAsync("pid")).Content.OfType<TextContentBlock>().Single().Text).RootElement.GetProperty("pid").GetInt32();
        var second = async () => await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        (await second.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("maxProcesses");
        await first.DisposeAsync(); // DELETE: the session and its child end

        deadline = DateTime.UtcNow.AddSeconds(10);
        while ((ProcessTree.IsAlive(pid) || !metrics.Of(GateTelemetryNames.StdioExits).Any()) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        metrics.Of(GateTelemetryNames.StdioStarts).Select(r => r.Tags["mcpgate.stdio.reason"]).Should().Equal("session");
        metrics.Of(GateTelemetryNames.StdioRefusals).Should().ContainSingle().Which.Tags["mcpgate.server"].Should().Be("files");

        // The discovery's own session (ended by its client just before) may be counted inside this window too: the same reason.
        ProcessTree.IsAlive(pid).Should().BeFalse();
        metrics.Of(GateTelemetryNames.StdioExits).Select(r => r.Tags["mcpgate.stdio.reason"]).Should().NotBeEmpty().And.OnlyContain(r => r == "session_ended");
    }
}
