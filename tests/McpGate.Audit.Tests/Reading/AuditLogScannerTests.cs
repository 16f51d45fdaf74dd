using System.Text;
using McpGate.Audit;
using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;
using McpGate.Audit.Tests.Reading.Alerts;
using McpGate.Audit.Tests.Support;
using McpGate.Testing;

namespace McpGate.Audit.Tests.Reading;

public sealed class AuditLogScannerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ScanStream_LinesAcrossReadBoundaries_AreEachCountedOnce()
    {
        var lines = AuditLines.Rows(500, AuditResults.CapabilityDenied).Select(AuditTestData.Line);
        var evaluator = NewEvaluator();

        AuditLogScanner.ScanStream(new TrickleStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), chunk: 97), "s", evaluator, CancellationToken.None);

        evaluator.Lines.Should().Be(500);
        evaluator.MalformedLines.Should().Be(0);
        evaluator.Alerts().Single().Count.Should().Be(500);
    }

    [Fact]
    public void ScanStream_LastLineWithoutLineBreakAndCrLfLines_AreRead()
    {
        var lines = AuditLines.Rows(11, AuditResults.CapabilityDenied).Select(AuditTestData.Line);
        var evaluator = NewEvaluator();

        AuditLogScanner.ScanStream(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\r\n", lines))), "s", evaluator, CancellationToken.None);

        evaluator.Lines.Should().Be(11);
        evaluator.MalformedLines.Should().Be(0);
    }

    [Fact]
    public void ScanStream_EveryConsumerSeesLinesWithoutTheirEnding_CrLfOrLf()
    {
        var consumer = new RecordingConsumer();

        AuditLogScanner.ScanStream(new MemoryStream(Encoding.UTF8.GetBytes("a\r\nbb\n\nccc")), "s", consumer, CancellationToken.None);

        consumer.Lines.Should().Equal("a", "bb", "", "ccc");
    }

    [Fact]
    public void ScanStream_OverlongLine_IsSkippedAsMalformedAndTheNextLineRead()
    {
        var text = new StringBuilder()
            .Append('{').Append('x', AuditLogScanner.MaxLineBytes + 10).Append("}\n")
            .Append(AuditTestData.Line(AuditLines.Row(AuditResults.Ok))).Append('\n')
            .ToString();
        var evaluator = NewEvaluator();

        AuditLogScanner.ScanStream(new MemoryStream(Encoding.UTF8.GetBytes(text)), "s", evaluator, CancellationToken.None);

        evaluator.Lines.Should().Be(2);
        evaluator.MalformedLines.Should().Be(1);
        evaluator.LinesInRange.Should().Be(1);
        evaluator.MalformedSamples.Should().Equal("s:1");
    }

    [Fact]
    public void Scan_RollingPattern_ReadsEveryFileOfThePattern()
    {
        File.WriteAllLines(_directory.Combine("mcpgate-20250304.jsonl"), AuditLines.Rows(6, AuditResults.CapabilityDenied).Select(AuditTestData.Line));
        File.WriteAllLines(_directory.Combine("mcpgate-20250305.jsonl"), AuditLines.Rows(6, AuditResults.CapabilityDenied).Select(AuditTestData.Line));
        File.WriteAllLines(_directory.Combine("other.jsonl"), AuditLines.Rows(6, AuditResults.CapabilityDenied).Select(AuditTestData.Line));
        var evaluator = NewEvaluator();

        var summary = AuditLogScanner.Scan(AuditLogSource.Resolve(_directory.Combine("mcpgate-.jsonl"))!, Stream.Null, evaluator, CancellationToken.None);

        summary.FilesRead.Should().Be(2);
        evaluator.Alerts().Single().Count.Should().Be(12);
    }

    [Fact]
    public void Scan_Directory_ReadsItsMcpgateFiles()
    {
        File.WriteAllLines(_directory.Combine("mcpgate-20250305.jsonl"), AuditLines.Rows(11, AuditResults.CapabilityDenied).Select(AuditTestData.Line));
        var evaluator = NewEvaluator();

        var summary = AuditLogScanner.Scan(AuditLogSource.Resolve(_directory.Path)!, Stream.Null, evaluator, CancellationToken.None);

        summary.FilesRead.Should().Be(1);
        evaluator.Alerts().Should().ContainSingle();
    }

    [Fact]
    public void Scan_FileNotWrittenSinceBeforeTheWindow_IsNotOpened()
    {
        var old = _directory.Combine("mcpgate-20250301.jsonl");
        File.WriteAllLines(old, AuditLines.Rows(11, AuditResults.CapabilityDenied).Select(AuditTestData.Line));
        File.SetLastWriteTimeUtc(old, AuditLines.Now.AddDays(-3).UtcDateTime);
        var evaluator = NewEvaluator();

        var summary = AuditLogScanner.Scan(AuditLogSource.Resolve(_directory.Path)!, Stream.Null, evaluator, CancellationToken.None);

        summary.FilesSkipped.Should().Be(1);
        summary.FilesRead.Should().Be(0);
        evaluator.Lines.Should().Be(0);
    }

    [Fact]
    public void Scan_SeveralReplicasFilesInOneDirectory_AreReadAsOneLogInTimeOrder()
    {
        // Three replicas, each its own file, their calls interleaved in time; one torn line keeps its place.
        File.WriteAllLines(_directory.Combine("mcpgate-r1-20250304.jsonl"), [ReplicaLine(1, "r1"), ReplicaLine(4, "r1"), "{\"ts\":\"torn", ReplicaLine(7, "r1")]);
        File.WriteAllLines(_directory.Combine("mcpgate-r2-20250304.jsonl"), [ReplicaLine(2, "r2"), ReplicaLine(5, "r2")]);
        File.WriteAllLines(_directory.Combine("mcpgate-r3-20250304.jsonl"), [ReplicaLine(3, "r3"), ReplicaLine(6, "r3"), ReplicaLine(8, "r3")]);
        var recorder = new LineRecorder();

        var summary = AuditLogScanner.Scan(AuditLogSource.Resolve(_directory.Path)!, Stream.Null, recorder, CancellationToken.None);

        summary.FilesRead.Should().Be(3);
        recorder.Lines.Select(l => l.Text).Should().Equal(
            ReplicaLine(1, "r1"), ReplicaLine(2, "r2"), ReplicaLine(3, "r3"), ReplicaLine(4, "r1"), "{\"ts\":\"torn",
            ReplicaLine(5, "r2"), ReplicaLine(6, "r3"), ReplicaLine(7, "r1"), ReplicaLine(8, "r3"));
        recorder.Lines[4].Where.Should().Be(_directory.Combine("mcpgate-r1-20250304.jsonl") + ":3", "each line keeps its own file and line number");
    }

    [Fact]
    public void Resolve_PathWhoseDirectoryDoesNotExist_IsNull()
    {
        AuditLogSource.Resolve(_directory.Combine("missing", "mcpgate-.jsonl")).Should().BeNull();
    }

    [Fact]
    public void Resolve_Dash_IsStdin()
    {
        AuditLogSource.Resolve("-")!.IsStdin.Should().BeTrue();
    }

    private static AlertEvaluator NewEvaluator()
    {
        var everything = new AlertRule
        {
            Name = "denied",
            Window = TimeSpan.FromDays(1),
            WindowText = "1d",
            Match = [new FieldMatch("result", [MatchValue.String("capability_denied")])],
        };
        return new AlertEvaluator([everything], AuditLines.Now, TimeSpan.FromDays(1));
    }

    private static string ReplicaLine(int second, string instance) =>
        $"{{\"ts\":\"2025-03-04T12:00:{second:00}.000Z\",\"event\":\"mcp.tool_called\",\"result\":\"ok\",\"gate_instance\":\"{instance}\"}}";

    private sealed class LineRecorder : IAuditLineConsumer
    {
        public List<(string Text, string Where)> Lines { get; } = [];

        public DateTimeOffset? NotBefore => null;

        public void Add(ReadOnlySpan<byte> line, string source, long lineNumber) => Lines.Add((Encoding.UTF8.GetString(line), $"{source}:{lineNumber}"));

        public void AddOversizedLine(string source, long lineNumber) => Lines.Add(("", $"{source}:{lineNumber}"));
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, so lines straddle reads.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }

    private sealed class RecordingConsumer : IAuditLineConsumer
    {
        public List<string> Lines { get; } = [];

        public DateTimeOffset? NotBefore => null;

        public void Add(ReadOnlySpan<byte> line, string source, long lineNumber) => Lines.Add(Encoding.UTF8.GetString(line));

        public void AddOversizedLine(string source, long lineNumber) => Lines.Add("<oversized>");
    }
}
