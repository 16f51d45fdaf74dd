using System.Text.Json;
using McpGate.Gateway.Audit;
using McpGate.Gateway.Tests.Audit.Support;
using McpGate.Policy.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace McpGate.Gateway.Tests.Audit;

public sealed class SerilogAuditLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new(AuditTestData.Noon);
    private readonly CollectingLogger _console = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_ToFile_LineIsInTheFileWhenWriteReturns()
    {
        using var log = CreateFileLog();

        log.Write(AuditTestData.Denial("d-42"));

        // Read while the log still holds the file: nothing may wait in a buffer for Dispose.
        var lines = TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl"));
        lines.Should().ContainSingle();
        using var line = JsonDocument.Parse(lines[0]);
        line.RootElement.GetProperty("decision_id").GetString().Should().Be("d-42");
    }

    [Fact]
    public void Write_SinkThrows_DoesNotThrowAndCountsEachFailure()
    {
        using var log = new SerilogAuditLog(PipelineOver(new ThrowingSink()), "test", _time, _console);

        var write = () =>
        {
            log.Write(AuditTestData.Denial("d-1"));
            log.Write(AuditTestData.Denial("d-2"));
        };

        write.Should().NotThrow();
        log.FailureCount.Should().Be(2);
        log.LastFailureAt.Should().Be(AuditTestData.Noon);
        log.IsFailing.Should().BeTrue();
    }

    [Fact]
    public void Write_SinkThrows_ConsoleNamesEventAndDecisionIdButNoRecordContent()
    {
        using var log = new SerilogAuditLog(PipelineOver(new ThrowingSink()), "test", _time, _console);

        log.Write(AuditTestData.Denial("d-7", subject: "mallory"));

        var entry = _console.Entries.Should().ContainSingle(e => e.Level == LogLevel.Error).Subject;
        entry.EventName.Should().Be("AuditWriteFailed");
        entry.Message.Should().Contain("mcp.tool_called").And.Contain("d-7");
        entry.Message.Should().NotContain("mallory").And.NotContain("create_pr").And.NotContain("github");
        entry.Exception.Should().BeOfType<IOException>().Which.Message.Should().Be("No space left on device");
    }

    [Fact]
    public void Write_DirectoryCannotBeCreated_DoesNotThrowAndCountsFailure()
    {
        // A regular file where the directory should be: unwritable even for root, which ignores permission bits.
        File.WriteAllText(_directory.Combine("blocker"), "not a directory");
        using var log = CreateFileLog(_directory.Combine("blocker", "audit", "mcpgate-.jsonl"));

        var write = () => log.Write(AuditTestData.Denial());

        write.Should().NotThrow();
        log.FailureCount.Should().Be(1);
        _console.Entries.Should().Contain(e => e.EventName == "AuditWriteFailed");
    }

    [Fact]
    public void Write_AfterDirectoryBecomesWritable_WritesAgainAndReportsRecovery()
    {
        var blocker = _directory.Combine("blocker");
        File.WriteAllText(blocker, "not a directory");
        using var log = CreateFileLog(Path.Combine(blocker, "mcpgate-.jsonl"));
        log.Write(AuditTestData.Denial("lost"));

        File.Delete(blocker);
        log.Write(AuditTestData.Denial("kept"));

        log.FailureCount.Should().Be(1);
        log.IsFailing.Should().BeFalse();
        TempDirectory.ReadLines(Path.Combine(blocker, "mcpgate-20250304.jsonl")).Should().ContainSingle().Which.Should().Contain("\"kept\"");
        _console.Entries.Should().Contain(e => e.EventName == "AuditWriteRecovered");
    }

    [Fact]
    public void Dispose_AfterWrites_EveryLineIsInTheFileAndTheFileIsReleased()
    {
        var log = CreateFileLog();
        for (var i = 0; i < 100; i++)
        {
            log.Write(AuditTestData.Denial($"d-{i}"));
        }

        log.Dispose();

        var path = _directory.Combine("mcpgate-20250304.jsonl");
        using (var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            exclusive.Length.Should().BeGreaterThan(0);
        }

        TempDirectory.ReadLines(path).Should().HaveCount(100);
    }

    [Fact]
    public void Write_AfterDispose_IsCountedAsAFailureNotThrown()
    {
        var log = CreateFileLog();
        log.Dispose();

        var write = () => log.Write(AuditTestData.Denial());

        write.Should().NotThrow();
        log.FailureCount.Should().Be(1);
    }

    [Fact]
    public void Write_ConcurrentCallers_WriteOneWholeLinePerCall()
    {
        const int Writers = 8;
        const int PerWriter = 250;
        using var log = CreateFileLog();

        Parallel.For(0, Writers, new ParallelOptions { MaxDegreeOfParallelism = Writers }, writer =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                log.Write(AuditTestData.Denial($"d-{writer}-{i}"));
            }
        });

        var lines = TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl"));
        lines.Should().HaveCount(Writers * PerWriter);
        var ids = lines.Select(l =>
        {
            using var document = JsonDocument.Parse(l);
            return document.RootElement.GetProperty("decision_id").GetString();
        });
        ids.Should().OnlyHaveUniqueItems();
        log.FailureCount.Should().Be(0);
    }

    [Fact]
    public void Write_ToStdout_WritesTheLineToStandardOutput()
    {
        using var stdout = new StringWriter();
        using var log = new SerilogAuditLog(AuditDestination.Stdout, stdout, _time, _console);

        log.Write(AuditTestData.Denial("d-out"));

        stdout.ToString().Should().Be(AuditRecordFormatter.ToJson(AuditTestData.Denial("d-out")) + "\n");
    }

    [Fact]
    public void Write_NullRecord_IsCountedAsAFailureNotThrown()
    {
        using var log = CreateFileLog();

        var write = () => log.Write(null!);

        write.Should().NotThrow();
        log.FailureCount.Should().Be(1);
    }

    private SerilogAuditLog CreateFileLog(string? path = null)
    {
        var destination = AuditDestination.Resolve(new AuditSettings { Path = path ?? _directory.Combine("mcpgate-.jsonl") }, null);
        return new SerilogAuditLog(destination, TextWriter.Null, _time, _console);
    }

    private static Logger PipelineOver(ILogEventSink sink) => new LoggerConfiguration().AuditTo.Sink(sink).CreateLogger();

    private sealed class ThrowingSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => throw new IOException("No space left on device");
    }
}
