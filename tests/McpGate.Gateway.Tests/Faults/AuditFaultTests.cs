using System.Net;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using McpGate.Testing.Logging;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>
/// The audit sink fails (every write hits a full disk, <c>/dev/full</c>): a denial stays a denial and is still
/// returned, an allowed call still runs, <c>/readyz</c> counts the failures and says not ready, and the console says
/// why. When the disk has room again the next lines are written.
/// </summary>
[Trait("Category", "Network")]
public sealed class AuditFaultTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private RunningGate _gate = null!;
    private readonly CollectingLoggerProvider _console = new();

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        _gate = await RunningGate.StartAsync(GatePolicies.Standard(_upstream.McpUrl), builder => builder.Logging.AddProvider(_console));

        // Today's (and, near midnight, tomorrow's) audit file is the full device: every write fails with ENOSPC.
        Directory.CreateDirectory(_gate.AuditDirectory);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        foreach (var day in new[] { today, today.AddDays(1) })
        {
            File.CreateSymbolicLink(Path.Combine(_gate.AuditDirectory, $"mcpgate-{day:yyyyMMdd}.jsonl"), "/dev/full");
        }
    }

    public async Task DisposeAsync()
    {
        await _gate.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task DiskFull_DeniedCall_IsStillDenied_AndNeverReachesTheUpstream()
    {
        var answer = await FaultClient.PostAsync(_gate, GatePolicies.BobToken, FaultClient.ToolCall(21, "delete_file"));

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Error.Code.Should().Be(-32003);
        _upstream.Spy.SawToolCall("delete_file").Should().BeFalse();
    }

    [Fact]
    public async Task DiskFull_ReadyzCountsTheFailure_AndTheConsoleSaysSo()
    {
        await FaultClient.PostAsync(_gate, GatePolicies.BobToken, FaultClient.ToolCall(22, "delete_file"));

        var readiness = await FaultClient.ReadinessAsync(_gate);

        readiness.GetProperty("audit").GetProperty("failures").GetInt64().Should().BeGreaterThan(0);
        readiness.GetProperty("ready").GetBoolean().Should().BeFalse();
        _console.Logger.Entries.Should().Contain(e => e.Level >= LogLevel.Error && e.Message.Contains("audit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DiskFull_AllowedCall_StillRuns()
    {
        var answer = await FaultClient.PostAsync(_gate, GatePolicies.BobToken, FaultClient.ToolCall(23, "read_file"));

        answer.Status.Should().Be(HttpStatusCode.OK);
        answer.Body.Should().Contain("remember the milk");
    }

    [Fact]
    public async Task DiskFreedAgain_TheNextDenialIsWrittenToTheAuditFile()
    {
        await FaultClient.PostAsync(_gate, GatePolicies.BobToken, FaultClient.ToolCall(24, "delete_file"));
        foreach (var link in Directory.GetFiles(_gate.AuditDirectory, "mcpgate-*.jsonl"))
        {
            File.Delete(link);
        }

        await FaultClient.PostAsync(_gate, GatePolicies.BobToken, FaultClient.ToolCall(25, "write_file"));

        _gate.AuditLines().Should().ContainSingle(l => l.GetProperty("result").GetString() == "capability_denied")
            .Which.GetProperty("tool").GetString().Should().Be("write_file");
    }
}
