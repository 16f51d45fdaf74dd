using System.Buffers;
using System.Text;
using McpGate.Audit.Formatting;
using McpGate.Audit.Tests.Support;
using McpGate.Audit.Writing;
using McpGate.Configuration;
using McpGate.Testing;
using McpGate.Testing.Logging;
using Microsoft.Extensions.Time.Testing;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace McpGate.Audit.Tests.Writing;

/// <summary><c>gateway.audit.serilog</c>: extra sinks get a copy of every record, and nothing they do reaches the
/// fail-closed destination.</summary>
public sealed class AuditFanOutTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(AuditTestData.Noon);
    private readonly CollectingLogger _console = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Configured_FileSinkWithTheAuditFormatter_GetsTheSameLinesAsTheAuditLog()
    {
        var copy = _directory.Combine("copy", "audit.jsonl").Replace("\\", "\\\\", StringComparison.Ordinal);
        var settings = new AuditSettings
        {
            Path = _directory.Combine("mcpgate-.jsonl"),
            Serilog = $$"""
                { "Using": [ "Serilog.Sinks.File" ],
                  "WriteTo": [ { "Name": "File", "Args": { "path": "{{copy}}", "formatter": "McpGate.Audit.Formatting.AuditLineFormatter, McpGate.Audit" } } ] }
                """,
        };
        var log = new SerilogAuditLog(AuditDestination.Resolve(settings, null), TextWriter.Null, AuditFanOut.Create(settings, "servers.json"), _time, _console);

        log.Write(AuditTestData.Denial("d-1"));
        log.Post(AuditTestData.Minimal());
        log.Dispose();

        var primary = TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl"));
        primary.Should().HaveCount(2);
        TempDirectory.ReadLines(_directory.Combine("copy", "audit.jsonl")).Should().Equal(primary);
    }

    [Fact]
    public void ExtraSinkThrows_TheAuditWriteSucceedsAndNoFailureIsCounted()
    {
        var settings = new AuditSettings { Path = _directory.Combine("mcpgate-.jsonl") };
        using var fanOut = new LoggerConfiguration().WriteTo.Sink(new ThrowingSink()).CreateLogger();
        using var log = new SerilogAuditLog(AuditDestination.Resolve(settings, null), TextWriter.Null, fanOut, _time, _console);

        log.Write(AuditTestData.Denial("d-2"));

        log.FailureCount.Should().Be(0);
        log.IsFailing.Should().BeFalse();
        TempDirectory.ReadLines(_directory.Combine("mcpgate-20250304.jsonl")).Should().ContainSingle().Which.Should().Contain("\"d-2\"");
    }

    [Fact]
    public void AuditFailing_TheExtraSinkStillGetsTheRecord()
    {
        var events = new List<LogEvent>();
        using var fanOut = new LoggerConfiguration().WriteTo.Sink(new CollectingSink(events)).CreateLogger();
        using var log = new SerilogAuditLog(new FailingSink(), "test", fanOut, _time, _console);

        log.Write(AuditTestData.Denial("d-3"));

        log.FailureCount.Should().Be(1);
        var copy = events.Should().ContainSingle().Subject;
        copy.Level.Should().Be(LogEventLevel.Warning, "a denial");
        copy.Properties[AuditFields.DecisionId].Should().Be(new ScalarValue("d-3"));
        copy.RenderMessage(null).Should().Be("\"mcp.tool_called\" \"deny\" \"bob\" \"github\" \"create_pr\"");
    }

    [Fact]
    public void NotConfigured_NoLogger()
    {
        AuditFanOut.Create(new AuditSettings(), "servers.json").Should().BeNull();
    }

    [Fact]
    public void UnknownSink_IsAConfigErrorNamingTheFileAndPath()
    {
        var settings = new AuditSettings { Serilog = """{ "Using": [ "Serilog.Sinks.NoSuchSink" ], "WriteTo": [ { "Name": "NoSuchSink" } ] }""" };

        var create = () => AuditFanOut.Create(settings, "/etc/mcpgate/servers.json");

        create.Should().Throw<ConfigLoadException>()
            .Which.Message.Should().Contain("/etc/mcpgate/servers.json").And.Contain("$.gateway.audit.serilog");
    }

    [Fact]
    public void AuditEvent_FormattedFromItsProperties_IsTheRecordsLine()
    {
        var records = new[]
        {
            AuditTestData.Denial("d-4"),
            AuditTestData.Minimal(),
            new AuditRecord
            {
                Timestamp = AuditTestData.Noon.AddTicks(1234567),
                Event = AuditEvents.ListFiltered,
                Subject = "zoë\n",
                Result = AuditResults.Ok,
                DurationMs = 1.0 / 3,
                UpstreamStatus = 200,
                Hidden = ["a", "b"],
            },
        };

        foreach (var record in records)
        {
            var fromEvent = new ArrayBufferWriter<byte>();
            AuditLineFormatter.WriteLine(AuditLogEvents.Create(record), fromEvent);

            Encoding.UTF8.GetString(fromEvent.WrittenSpan).Should().Be(AuditTestData.Line(record) + "\n");
        }
    }

    private sealed class ThrowingSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => throw new HttpRequestException("collector unreachable");
    }

    private sealed class CollectingSink(List<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Add(logEvent);
    }

    private sealed class FailingSink : AuditSink
    {
        protected override void Append<TState>(TState state, Action<TState, IBufferWriter<byte>> format) => throw new IOException("No space left on device");
    }
}
