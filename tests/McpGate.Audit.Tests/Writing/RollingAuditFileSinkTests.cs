using System.Text.Json;
using McpGate.Audit;
using McpGate.Audit.Tests.Support;
using McpGate.Audit.Writing;
using McpGate.Configuration;
using McpGate.Testing;
using McpGate.Testing.Logging;
using Microsoft.Extensions.Time.Testing;

namespace McpGate.Audit.Tests.Writing;

public sealed class RollingAuditFileSinkTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(AuditTestData.Noon);
    private readonly CollectingLogger _console = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_AcrossUtcMidnight_StartsTheNextDaysFile()
    {
        using var log = CreateLog(retained: 31);
        _time.SetUtcNow(new DateTimeOffset(2025, 3, 4, 23, 59, 59, TimeSpan.Zero));
        log.Write(AuditTestData.Denial("before"));

        _time.SetUtcNow(new DateTimeOffset(2025, 3, 5, 0, 0, 1, TimeSpan.Zero));
        log.Write(AuditTestData.Denial("after"));

        TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl")).Should().ContainSingle().Which.Should().Contain("\"before\"");
        TempDirectory.ReadLines(_directory.Combine("mcpgate-20250305.jsonl")).Should().ContainSingle().Which.Should().Contain("\"after\"");
    }

    [Fact]
    public void Write_MoreDailyFilesThanRetained_DeletesTheOldestAndNothingElse()
    {
        foreach (var day in new[] { "20250227", "20250228", "20250301", "20250302", "20250303" })
        {
            File.WriteAllText(_directory.Combine($"mcpgate-{day}.jsonl"), "{}\n");
        }

        File.WriteAllText(_directory.Combine("mcpgate-notes.jsonl"), "keep\n");
        File.WriteAllText(_directory.Combine("other-20250101.jsonl"), "keep\n");
        using var log = CreateLog(retained: 3);

        log.Write(AuditTestData.Denial());

        Directory.GetFiles(_directory.Path).Select(Path.GetFileName).Should().BeEquivalentTo(
            "mcpgate-20250302.jsonl", "mcpgate-20250303.jsonl", "mcpgate-20250304.jsonl",
            "mcpgate-notes.jsonl", "other-20250101.jsonl", ".mcpgate-.jsonl.lock");
    }

    [Fact]
    public void Write_ToFileEndingInATornLine_StartsTheRecordOnALineOfItsOwn()
    {
        var path = _directory.Combine("mcpgate-20250304.jsonl");
        File.WriteAllText(path, "{\"ts\":\"2025-03-04T11:00:00.000Z\",\"event\":\"mcp.tool_called\"}\n{\"ts\":\"2025-03-04T11:5");
        using var log = CreateLog(retained: 31);

        log.Write(AuditTestData.Denial("whole"));

        var lines = TempDirectory.ReadLines(path);
        lines.Should().HaveCount(3);
        using var last = JsonDocument.Parse(lines[2]);
        last.RootElement.GetProperty("decision_id").GetString().Should().Be("whole");
    }

    [Fact]
    public void Write_ToExistingFile_Appends()
    {
        var path = _directory.Combine("mcpgate-20250304.jsonl");
        File.WriteAllText(path, "{\"earlier\":true}\n");
        using var log = CreateLog(retained: 31);

        log.Write(AuditTestData.Denial());

        TempDirectory.ReadLines(path).Should().HaveCount(2).And.StartWith("{\"earlier\":true}");
    }

    [Fact]
    public void Write_NewFile_HasNoByteOrderMark()
    {
        using var log = CreateLog(retained: 31);

        log.Write(AuditTestData.Denial());

        File.ReadAllBytes(_directory.Combine("mcpgate-20250304.jsonl"))[0].Should().Be((byte)'{');
    }

    [Fact]
    public void Write_SecondLogOnTheSamePath_FailsLoudlyAndLeavesTheFirstLogsLinesIntact()
    {
        using var first = CreateLog(retained: 31);
        using var second = CreateLog(retained: 31);
        first.Write(AuditTestData.Denial("first-1"));

        second.Write(AuditTestData.Denial("second-1"));
        first.Write(AuditTestData.Denial("first-2"));

        second.FailureCount.Should().Be(1);
        first.FailureCount.Should().Be(0);
        TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl")).Should().HaveCount(2)
            .And.OnlyContain(l => l.Contains("\"first-"));
    }

    [Fact]
    public void Dispose_ReleasesThePathForTheNextLog()
    {
        CreateLog(retained: 31).Dispose();
        using var first = CreateLog(retained: 31);
        first.Write(AuditTestData.Denial("a"));
        first.Dispose();
        using var next = CreateLog(retained: 31);

        next.Write(AuditTestData.Denial("b"));

        next.FailureCount.Should().Be(0);
        TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl")).Should().HaveCount(2);
    }

    private SerilogAuditLog CreateLog(int retained)
    {
        var settings = new AuditSettings { Path = _directory.Combine("mcpgate-.jsonl"), RetainedFileCount = retained };
        return new SerilogAuditLog(AuditDestination.Resolve(settings, null), TextWriter.Null, null, _time, _console);
    }
}
