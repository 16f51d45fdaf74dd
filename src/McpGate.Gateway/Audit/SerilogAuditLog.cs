using System.Collections.Concurrent;
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
/// </summary>
/// <remarks>
/// Two ways in, one order out. <see cref="Write"/> (denials, rejections) returns once its line is flushed.
/// <see cref="Post"/> (allowed calls, filtered lists) queues the record for one background writer thread, which
/// writes whatever has queued up as a batch under a single flush: the allowed path pays neither the <c>write(2)</c>
/// nor the wait for the lock. Every drain of the queue happens under one lock, and <see cref="Write"/> drains it before
/// writing its own record, so the file's order is the order records were handed over. A full queue makes
/// <see cref="Post"/> write through synchronously (back-pressure, never loss); <see cref="Dispose"/> drains the
/// queue before closing the file. Nothing here throws: a failure is counted and reported on the console (by event
/// and decision id only).
/// </remarks>
internal sealed class SerilogAuditLog : IAuditLog, IAuditHealth, IDisposable
{
    // About half a second of records at full load: enough to ride out a slow write, small enough to bound what a crash
    // (not a graceful stop) can take with it.
    internal const int QueueCapacity = 8192;

    // How long the writer lets a batch gather once a record is waiting. Each round of the writer costs two context
    // switches on the proxy's busy cores, and they cost more than the formatting: at 2 ms the gate handled about 5 %
    // fewer tools/calls a second than at 10 ms (12 interleaved rounds on the load bench's rig). A record still reaches
    // the file within about 10 ms of its answer.
    private const int BatchWindowMs = 10;

    private static readonly MessageTemplate s_template = new MessageTemplateParser().Parse("mcpgate audit record");
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(10);

    private readonly Logger _pipeline;
    private readonly IBatchingAuditSink? _batchingSink;
    private readonly TimeProvider _time;
    private readonly ILogger _diagnostics;

    // Lock-free on the request path: a bounded Channel takes a lock per record on both ends, and on one busy core a
    // request thread preempted while holding it stalls the writer (and the other way round).
    private readonly ConcurrentQueue<AuditRecord> _queue = new();
    private int _queued;
    private volatile bool _completed;

    // The writer is a thread of its own that sleeps out the batch window: Task.Delay would take the timer queue's lock
    // and wake the timer thread and then a pool thread for every batch.
    private readonly Thread _backgroundWriter;
    private readonly SemaphoreSlim _wake = new(0);
    private int _writerIdle;

    // Records the current batch has emitted but not yet flushed: if the flush fails, these are the ones lost.
    private readonly List<AuditRecord> _unflushed = [];

    // Serialises every read of the queue and every write to the sink with Dispose: the single order of the file,
    // and no write half-way through the sink when it is closed.
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
        : this(CreateSink(destination, stdout, time, diagnostics), destination.Description, time, diagnostics)
    {
        _diagnostics.AuditLogOpened(destination.Description, destination.IsStdout ? "n/a" : destination.RetainedFileCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all");
    }

    /// <summary>Over any sink: tests hand in one that fails, or one that blocks.</summary>
    internal SerilogAuditLog(ILogEventSink sink, string destination, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(diagnostics);

        // A pipeline of its own: diagnostic logging's levels, filters and enrichers never touch audit records.
        _pipeline = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .AuditTo.Sink(sink)
            .CreateLogger();
        _batchingSink = sink as IBatchingAuditSink;
        Destination = destination;
        _time = time;
        _diagnostics = diagnostics;
        _backgroundWriter = new Thread(WriteQueued) { IsBackground = true, Name = "McpGate audit writer" };
        _backgroundWriter.Start();
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
        if (record is null)
        {
            RecordFailure(null, new ArgumentNullException(nameof(record)));
            return;
        }

        lock (_gate)
        {
            WriteBatch(record);
        }
    }

    public void Post(AuditRecord record)
    {
        // Closing, or full: the caller waits for the write instead of the record being dropped (Write also accounts
        // for a null record).
        if (record is null || _completed)
        {
            Write(record!);
            return;
        }

        if (Interlocked.Increment(ref _queued) > QueueCapacity)
        {
            Interlocked.Decrement(ref _queued);
            Write(record);
            return;
        }

        _queue.Enqueue(record);
        if (_completed)
        {
            // Dispose began while this was queued, and its writer may have finished already: drain it here (after the
            // final drain, this reports it lost rather than leaving it unseen).
            lock (_gate)
            {
                WriteBatch(then: null);
            }
        }
        else if (Volatile.Read(ref _writerIdle) != 0 && Interlocked.Exchange(ref _writerIdle, 0) != 0)
        {
            _wake.Release();
        }
    }

    public void Dispose()
    {
        _completed = true;
        _wake.Release();

        // The writer ends once the queue is empty; a sink stuck for longer is abandoned, and whatever it left queued
        // is written by the final drain below, or reported lost by it.
        _backgroundWriter.Join(s_drainTimeout);

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            WriteBatch(then: null);
            _disposed = true;
            try
            {
                // Every line was flushed by its batch; this closes the file (and lets a reader open it exclusively).
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

    private void WriteQueued()
    {
        while (true)
        {
            if (_queue.IsEmpty)
            {
                if (_completed)
                {
                    return;
                }

                // Announce the wait (a full fence), then look again: a record posted in between would otherwise wait
                // for the next one.
                Interlocked.Exchange(ref _writerIdle, 1);
                if (!_queue.IsEmpty && Interlocked.Exchange(ref _writerIdle, 0) != 0)
                {
                    continue;
                }

                // A Release that finds no waiter leaves a count behind; the worst it causes is one more empty round.
                _wake.Wait();
                continue;
            }

            Thread.Sleep(BatchWindowMs);
            lock (_gate)
            {
                WriteBatch(then: null);
            }
        }
    }

    /// <summary>Under <see cref="_gate"/>: writes everything queued, then <paramref name="then"/>, under one flush.</summary>
    private void WriteBatch(AuditRecord? then)
    {
        if (then is null && _queue.IsEmpty)
        {
            // Another drain (a Write, or the writer's previous round) took everything already.
            return;
        }

        var batching = _batchingSink is not null && !_disposed;
        if (batching)
        {
            _batchingSink!.BeginBatch();
        }

        var lastSucceeded = false;
        while (_queue.TryDequeue(out var queued))
        {
            Interlocked.Decrement(ref _queued);
            lastSucceeded = Emit(queued, batching);
        }

        if (then is not null)
        {
            lastSucceeded = Emit(then, batching);
        }

        if (batching)
        {
            try
            {
                _batchingSink!.EndBatch();
            }
#pragma warning disable CA1031 // The contract: whatever the sink does, the caller's response must not change.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                ReportUnflushedLost(ex);
                return;
            }

            _unflushed.Clear();
        }

        if (lastSucceeded && Volatile.Read(ref _failing) != 0 && Interlocked.Exchange(ref _failing, 0) != 0)
        {
            Report(() => _diagnostics.AuditWriteRecovered(Destination, FailureCount));
        }
    }

    private bool Emit(AuditRecord record, bool batching)
    {
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _pipeline.Write(new LogEvent(
                record.Timestamp,
                LogEventLevel.Information,
                exception: null,
                s_template,
                [new LogEventProperty(AuditRecordFormatter.RecordProperty, new ScalarValue(record))]));
            if (batching)
            {
                _unflushed.Add(record);
            }

            return true;
        }
#pragma warning disable CA1031 // The contract: whatever the sink does, the caller's response must not change.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // A failing sink drops its buffer, and with it the batch's records before this one.
            ReportUnflushedLost(ex);
            RecordFailure(record, ex);
            return false;
        }
    }

    private void ReportUnflushedLost(Exception failure)
    {
        foreach (var record in _unflushed)
        {
            RecordFailure(record, failure);
        }

        _unflushed.Clear();
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

    private static ILogEventSink CreateSink(AuditDestination destination, TextWriter stdout, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.IsStdout
            ? new TextWriterAuditSink(AuditRecordFormatter.Instance, stdout)
            : new RollingAuditFileSink(destination.Pattern!, destination.RetainedFileCount, time, diagnostics);
    }
}
