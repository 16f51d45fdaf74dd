using System.Buffers;
using System.Text.Json;
using McpGate.Audit;
using McpGate.Audit.Tests.Support;
using McpGate.Audit.Writing;
using McpGate.Configuration;
using McpGate.Testing;
using McpGate.Testing.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace McpGate.Audit.Tests.Writing;

public sealed class SerilogAuditLogTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(AuditTestData.Noon);
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
        using var log = new SerilogAuditLog(new ThrowingSink(), "test", null, _time, _console);

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
        using var log = new SerilogAuditLog(new ThrowingSink(), "test", null, _time, _console);

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
        using var log = new SerilogAuditLog(AuditDestination.Stdout, stdout, null, _time, _console);

        log.Write(AuditTestData.Denial("d-out"));

        stdout.ToString().Should().Be(AuditTestData.Line(AuditTestData.Denial("d-out")) + "\n");
    }

    [Fact]
    public void Write_NullRecord_IsCountedAsAFailureNotThrown()
    {
        using var log = CreateFileLog();

        var write = () => log.Write(null!);

        write.Should().NotThrow();
        log.FailureCount.Should().Be(1);
    }

    [Fact]
    public void PostThenWrite_FileKeepsTheOrderRecordsWereHandedOver()
    {
        using var log = CreateFileLog();

        log.Post(AuditTestData.Denial("p-1"));
        log.Post(AuditTestData.Denial("p-2"));
        log.Write(AuditTestData.Denial("w-3"));

        // Write drains what was posted before it, so when it returns all three are in the file, in order.
        DecisionIdsInFile().Should().Equal("p-1", "p-2", "w-3");
    }

    [Fact]
    public async Task Post_IsWrittenBehindWithoutAWriteAfterIt()
    {
        using var log = CreateFileLog();

        log.Post(AuditTestData.Denial("p-alone"));
        await WaitForLinesAsync(1);

        DecisionIdsInFile().Should().Equal("p-alone");
    }

    [Fact]
    public async Task Post_AfterTheWriterWentIdle_WakesItAgain()
    {
        using var log = CreateFileLog();

        // Each record arrives after the writer has emptied the queue and gone to sleep: every one must wake it.
        for (var i = 1; i <= 3; i++)
        {
            log.Post(AuditTestData.Denial($"idle-{i}"));
            await WaitForLinesAsync(i);
            (await WriterParkedAsync(log)).Should().BeTrue("the next record must find the writer asleep, or this tests nothing");
        }

        DecisionIdsInFile().Should().Equal("idle-1", "idle-2", "idle-3");
    }

    [Fact]
    public void Post_AfterDispose_IsReportedLostNotSilentlyQueued()
    {
        var log = CreateFileLog();
        log.Dispose();

        log.Post(AuditTestData.Denial("late"));

        log.FailureCount.Should().Be(1);
        _console.Entries.Should().Contain(e => e.EventName == "AuditWriteFailed" && e.Message.Contains("late"));
    }

    [Fact]
    public void Dispose_WritesEveryPostedRecordBeforeClosing()
    {
        var log = CreateFileLog();
        for (var i = 0; i < 5000; i++)
        {
            log.Post(AuditTestData.Denial($"p-{i}"));
        }

        log.Dispose();

        var ids = DecisionIdsInFile();
        ids.Should().HaveCount(5000);
        ids[0].Should().Be("p-0");
        ids[^1].Should().Be("p-4999");
        log.FailureCount.Should().Be(0);
    }

    [Fact]
    public async Task Post_QueueFull_WaitsForTheSinkInsteadOfDroppingRecords()
    {
        using var sink = new BlockingSink();
        using var log = new SerilogAuditLog(sink, "test", null, _time, _console);
        log.Post(AuditTestData.Denial("first"));
        sink.Entered.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue("the background writer takes the first record");

        // With the sink stuck, the queue fills; the post after that must wait, not drop.
        var posted = 0;
        var posting = Task.Run(() =>
        {
            for (var i = 0; i < SerilogAuditLog.QueueCapacity + 10; i++)
            {
                log.Post(AuditTestData.Denial($"p-{i}"));
                Volatile.Write(ref posted, i + 1);
            }
        });

        // First see the poster fill the queue (so it surely ran), then see it stay at the full mark.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref posted) < SerilogAuditLog.QueueCapacity && !posting.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Volatile.Read(ref posted).Should().Be(SerilogAuditLog.QueueCapacity, "the poster fills the queue and then waits");
        await Task.Delay(300);
        posting.IsCompleted.Should().BeFalse("a full queue pushes back on the poster");
        Volatile.Read(ref posted).Should().Be(SerilogAuditLog.QueueCapacity);

        sink.Release();
        await posting.WaitAsync(TimeSpan.FromSeconds(30));
        log.Dispose();

        sink.Count.Should().Be(SerilogAuditLog.QueueCapacity + 11);
        log.FailureCount.Should().Be(0);
    }

    [Fact]
    public void Batch_FlushFails_EveryRecordOfTheBatchIsReportedLostByItsId()
    {
        using var sink = new FailingFlushSink();
        var log = new SerilogAuditLog(sink, "test", null, _time, _console);
        log.Post(AuditTestData.Denial("b-1"));
        sink.BatchStarted.Wait(TimeSpan.FromSeconds(10)).Should().BeTrue();

        // The writer has begun a batch but not read the queue yet, so these join b-1 under one failing flush.
        log.Post(AuditTestData.Denial("b-2"));
        log.Post(AuditTestData.Denial("b-3"));
        sink.Proceed.Set();
        log.Dispose();

        log.FailureCount.Should().Be(3);
        sink.Emitted.Should().Be(3);
        var messages = _console.Entries.Where(e => e.EventName == "AuditWriteFailed").Select(e => e.Message).ToList();
        messages.Should().HaveCount(3);
        messages[0].Should().Contain("b-1");
        messages[1].Should().Contain("b-2");
        messages[2].Should().Contain("b-3");
        log.IsFailing.Should().BeTrue();
    }

    /// <summary>Waits (at most 10 s) until the file holds <paramref name="count"/> lines; the caller asserts what they are.</summary>
    /// <summary>True once the background writer has announced it is going to sleep (read from its idle flag).</summary>
    private static async Task<bool> WriterParkedAsync(SerilogAuditLog log)
    {
        var idle = typeof(SerilogAuditLog).GetField("_writerIdle", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("SerilogAuditLog._writerIdle is gone: give this test another way to see the writer asleep");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((int)idle.GetValue(log)! == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        return (int)idle.GetValue(log)! != 0;
    }

    private async Task WaitForLinesAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DecisionIdsInFile().Length < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    private string[] DecisionIdsInFile()
    {
        var path = _directory.Combine("mcpgate-20250304.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = TempDirectory.ReadLines(path);
        var ids = new string[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            ids[i] = line.RootElement.GetProperty("decision_id").GetString()!;
        }

        return ids;
    }

    private SerilogAuditLog CreateFileLog(string? path = null)
    {
        var destination = AuditDestination.Resolve(new AuditSettings { Path = path ?? _directory.Combine("mcpgate-.jsonl") }, null);
        return new SerilogAuditLog(destination, TextWriter.Null, null, _time, _console);
    }

    private sealed class ThrowingSink : AuditSink
    {
        protected override void Append<TState>(TState state, Action<TState, IBufferWriter<byte>> format) => throw new IOException("No space left on device");
    }

    /// <summary>Blocks inside its first Emit until released, as a sink on a stalled disk would.</summary>
    private sealed class BlockingSink : AuditSink
    {
        private readonly ManualResetEventSlim _release = new();
        private int _count;

        public ManualResetEventSlim Entered { get; } = new();

        public int Count => Volatile.Read(ref _count);

        protected override void Append<TState>(TState state, Action<TState, IBufferWriter<byte>> format)
        {
            Entered.Set();
            _release.Wait();
            Interlocked.Increment(ref _count);
        }

        public void Release() => _release.Set();

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            _release.Dispose();
            Entered.Dispose();
        }
    }

    /// <summary>Takes every event into its buffer and fails the flush, as a disk that fills between two writes.
    /// Its first batch waits for <see cref="Proceed"/>.</summary>
    private sealed class FailingFlushSink : AuditSink
    {
        private int _emitted;
        private int _batches;

        public ManualResetEventSlim BatchStarted { get; } = new();

        public ManualResetEventSlim Proceed { get; } = new();

        public int Emitted => Volatile.Read(ref _emitted);

        public override bool BuffersBatches => true;

        protected override void Append<TState>(TState state, Action<TState, IBufferWriter<byte>> format) => Interlocked.Increment(ref _emitted);

        public override void BeginBatch()
        {
            if (Interlocked.Increment(ref _batches) == 1)
            {
                BatchStarted.Set();
                Proceed.Wait();
            }
        }

        public override void EndBatch() => throw new IOException("No space left on device");

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            BatchStarted.Dispose();
            Proceed.Dispose();
        }
    }
}
