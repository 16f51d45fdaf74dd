using McpGate.Audit.Formatting;
using McpGate.Audit.Tests.Support;
using McpGate.Audit.Writing;
using McpGate.Testing;
using McpGate.Testing.Logging;
using Microsoft.Extensions.Time.Testing;
using Serilog;

namespace McpGate.Audit.Tests.Writing;

/// <summary>The audit sinks are Serilog sinks: any pipeline can write audit events through them, failures included.</summary>
public sealed class AuditSinkTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void SerilogPipeline_AuditToTheFileSink_WritesTheRecordsLine()
    {
        var record = AuditTestData.Denial("d-via-serilog");
        using (var sink = new RollingAuditFileSink(_directory.Combine("mcpgate-.jsonl"), null, new FakeTimeProvider(AuditTestData.Noon), new CollectingLogger()))
        using (var logger = new LoggerConfiguration().AuditTo.Sink(sink).CreateLogger())
        {
            logger.Write(AuditLogEvents.Create(record));
        }

        TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl")).Should().Equal(AuditTestData.Line(record));
    }

    [Fact]
    public void SerilogPipeline_AuditToAFailingSink_Throws()
    {
        // A file where the directory should be: the sink cannot create its directory.
        File.WriteAllText(_directory.Combine("blocker"), "");
        using var sink = new RollingAuditFileSink(_directory.Combine("blocker", "mcpgate-.jsonl"), null, new FakeTimeProvider(AuditTestData.Noon), new CollectingLogger());
        using var logger = new LoggerConfiguration().AuditTo.Sink(sink).CreateLogger();

        var write = () => logger.Write(AuditLogEvents.Create(AuditTestData.Minimal()));

        write.Should().Throw<Exception>();
    }
}
