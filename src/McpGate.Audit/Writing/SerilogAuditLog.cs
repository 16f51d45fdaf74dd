using System.Collections.Concurrent;
using McpGate.Audit.Formatting;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace McpGate.Audit.Writing;

/// <summary>
/// The audit log (docs/audit.md): records go to one fail-closed <see cref="AuditSink"/> (the rolling file, or stdout),
/// whose failures surface here as exceptions instead of being dropped, and, when the operator configured any, to a
/// Serilog logger of extra sinks (<c>gateway.audit.serilog</c>), best-effort. Both are separate from diagnostic
/// logging: its levels, filters and enrichers never touch audit records.
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

    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(10);

    private readonly AuditSink _sink;

    // The operator's extra Serilog sinks, or null. Serilog's WriteTo isolates their failures (SelfLog), so they
    // can neither fail an audit write nor count as one.
    private readonly Logger? _fanOut;
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

    public SerilogAuditLog(AuditDestination destination, Logger? fanOut, TimeProvider time, ILogger<SerilogAuditLog> diagnostics)
        : this(destination, Console.Out, fanOut, time, diagnostics)
    {
    }

    /// <summary>For tests: <paramref name="stdout"/> receives the lines when the destination is stdout.</summary>
    internal SerilogAuditLog(AuditDestination destination, TextWriter stdout, Logger? fanOut, TimeProvider time, ILogger diagnostics)
        : this(CreateSink(destination, stdout, time, diagnostics), destination.Description, fanOut, time, diagnostics)
    {
        _diagnostics.AuditLogOpened(destination.Description, destination.IsStdout ? "n/a" : destination.RetainedFileCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all");
    }

    /// <summary>Over any sink: tests hand in one that fails, or one that blocks.</summary>
    internal SerilogAuditLog(AuditSink sink, string destination, Logger? fanOut, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(diagnostics);

        _sink = sink;
        _fanOut = fanOut;
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

    public int QueuedCount => Math.Max(0, Volatile.Read(ref _queued));

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
                _sink.Dispose();
            }
#pragma warning disable CA1031 // Shutdown goes on; the failure is reported.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Report(() => _diagnostics.AuditCloseFailed(Destination, ex));
            }

            // Flushes what the extra sinks still queue (a network sink's last batch).
            _fanOut?.Dispose();
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

        var batching = _sink.BuffersBatches && !_disposed;
        if (batching)
        {
            _sink.BeginBatch();
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
                _sink.EndBatch();
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
        FanOut(record);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _sink.Emit(record);
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

    /// <summary>Best-effort: a copy of every record, whatever becomes of its line (after a failed write, the copy may be
    /// the only trace of it). The operator's sinks are expected to queue (network sinks do): this runs on the writer
    /// thread, and for denials before the answer.</summary>
    private void FanOut(AuditRecord record)
    {
        if (_fanOut is null || _disposed)
        {
            return;
        }

        try
        {
            _fanOut.Write(AuditLogEvents.Create(record));
        }
#pragma warning disable CA1031 // Best-effort by contract: nothing an extra sink does may reach the audit path.
        catch (Exception)
#pragma warning restore CA1031
        {
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

        Report(() => _diagnostics.AuditWriteFailed(record?.Event ?? "(no record)", record?.DecisionId, Destination, count, failure));
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

    private static AuditSink CreateSink(AuditDestination destination, TextWriter stdout, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return destination.IsStdout
            ? new TextWriterAuditSink(stdout)
            : new RollingAuditFileSink(destination.Pattern!, destination.RetainedFileCount, time, diagnostics);
    }
}
