using System.Buffers;
using McpGate.Audit.Formatting;
using Serilog.Core;
using Serilog.Events;

namespace McpGate.Audit.Writing;

/// <summary>
/// A fail-closed audit destination: a Serilog sink whose every failure is thrown to the caller, never swallowed.
/// <see cref="SerilogAuditLog"/> hands it records directly (<see cref="Emit(AuditRecord)"/>: no <see cref="LogEvent"/>
/// is built for the line), and any Serilog pipeline can write audit events to it (<see cref="Emit(LogEvent)"/>, with
/// <c>AuditTo.Sink</c> so failures propagate): both produce the same line.
/// </summary>
/// <remarks>
/// Between <see cref="BeginBatch"/> and <see cref="EndBatch"/> a sink may buffer lines instead of flushing each;
/// <see cref="EndBatch"/> flushes them and throws when that fails. A failed emit or flush drops whatever the batch
/// had not flushed yet.
/// </remarks>
public abstract class AuditSink : ILogEventSink, IDisposable
{
    /// <summary>Writes the record's line; returns once it is flushed (outside a batch).</summary>
    public void Emit(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Append(record, static (r, output) => AuditRecordFormatter.WriteLine(r, output));
    }

    /// <summary>Writes an audit event (see <see cref="AuditLogEvents"/>) as the same line.</summary>
    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        Append(logEvent, static (e, output) => AuditLineFormatter.WriteLine(e, output));
    }

    /// <summary>True when lines emitted inside a batch wait for <see cref="EndBatch"/>; a failed flush then loses
    /// them all.</summary>
    public virtual bool BuffersBatches => false;

    public virtual void BeginBatch()
    {
    }

    public virtual void EndBatch()
    {
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Appends one line (the <paramref name="format"/> callback writes it, <c>\n</c> included, as UTF-8)
    /// and, outside a batch, flushes it before returning. Throws on every failure.</summary>
    protected abstract void Append<TState>(TState state, Action<TState, IBufferWriter<byte>> format);

    protected virtual void Dispose(bool disposing)
    {
    }
}
