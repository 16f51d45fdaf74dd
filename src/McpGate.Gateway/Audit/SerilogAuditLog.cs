using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace McpGate.Gateway.Audit;

/// <summary>
/// The audit log (gateway.md §2): a Serilog pipeline of its own, separate from diagnostic logging, whose only sink
/// is attached with <c>AuditTo</c> so that a failing write surfaces here as an exception instead of being dropped.
/// <see cref="Write"/> returns once the line is flushed; it never throws, and a failure is counted and reported
/// on the console (by event and decision id only).
/// </summary>
internal sealed class SerilogAuditLog : IAuditLog, IAuditHealth, IDisposable
{
    private static readonly MessageTemplate s_template = new MessageTemplateParser().Parse("mcpgate audit record");

    private readonly Logger _pipeline;
    private readonly TimeProvider _time;
    private readonly ILogger _diagnostics;

    // Serialises writes with Dispose, so no write is half-way through the sink when the file is closed.
    private readonly Lock _gate = new();
    private bool _disposed;
    private long _failureCount;
    private long _lastFailureUtcTicks;
    private int _failing;

    public SerilogAuditLog(AuditDestination destination, TimeProvider time, ILogger<SerilogAuditLog> diagnostics)
        : this(destination, Console.Out, time, diagnostics)
    {
    }

    /// <summary>For tests: <paramref name="stdout"/> receives the lines when the destination is stdout.</summary>
    internal SerilogAuditLog(AuditDestination destination, TextWriter stdout, TimeProvider time, ILogger diagnostics)
        : this(CreatePipeline(destination, stdout, time, diagnostics), destination.Description, time, diagnostics)
    {
        _diagnostics.AuditLogOpened(destination.Description, destination.IsStdout ? "n/a" : destination.RetainedFileCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all");
    }

    /// <summary>Over any pipeline: tests hand in one whose audit sink fails.</summary>
    internal SerilogAuditLog(Logger pipeline, string destination, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(diagnostics);
        _pipeline = pipeline;
        Destination = destination;
        _time = time;
        _diagnostics = diagnostics;
    }

    public string Destination { get; }

    public long FailureCount => Interlocked.Read(ref _failureCount);

    public DateTimeOffset? LastFailureAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastFailureUtcTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public bool IsFailing => Volatile.Read(ref _failing) != 0;

    public void Write(AuditRecord record)
    {
        Exception? failure = null;
        try
        {
            ArgumentNullException.ThrowIfNull(record);
            var logEvent = new LogEvent(
                record.Timestamp,
                LogEventLevel.Information,
                exception: null,
                s_template,
                [new LogEventProperty(AuditRecordFormatter.RecordProperty, new ScalarValue(record))]);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _pipeline.Write(logEvent);
            }
        }
#pragma warning disable CA1031 // The contract: whatever the sink does, the caller's response must not change.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        if (failure is not null)
        {
            RecordFailure(record, failure);
        }
        else if (Volatile.Read(ref _failing) != 0 && Interlocked.Exchange(ref _failing, 0) != 0)
        {
            Report(() => _diagnostics.AuditWriteRecovered(Destination, FailureCount));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                // Every line was flushed when written; this closes the file (and lets a reader open it exclusively).
                _pipeline.Dispose();
            }
#pragma warning disable CA1031 // Shutdown goes on; the failure is reported.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Report(() => _diagnostics.AuditCloseFailed(Destination, ex));
            }
        }
    }

    private void RecordFailure(AuditRecord? record, Exception failure)
    {
        var count = Interlocked.Increment(ref _failureCount);
        Interlocked.Exchange(ref _lastFailureUtcTicks, _time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _failing, 1);

        // Serilog wraps a sink's exception; the console should show the sink's own (the full path, "disk full").
        var cause = failure is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : failure;
        Report(() => _diagnostics.AuditWriteFailed(record?.Event ?? "(no record)", record?.DecisionId, Destination, count, cause));
    }

    private static void Report(Action log)
    {
        try
        {
            log();
        }
#pragma warning disable CA1031 // A console that cannot be written to must not turn an audit failure into a request failure.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static Logger CreatePipeline(AuditDestination destination, TextWriter stdout, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ILogEventSink sink = destination.IsStdout
            ? new TextWriterAuditSink(AuditRecordFormatter.Instance, stdout)
            : new RollingAuditFileSink(destination.Pattern!, destination.RetainedFileCount, AuditRecordFormatter.Instance, time, diagnostics);

        // A pipeline of its own: diagnostic logging's levels, filters and enrichers never touch audit records.
        return new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .AuditTo.Sink(sink)
            .CreateLogger();
    }
}
