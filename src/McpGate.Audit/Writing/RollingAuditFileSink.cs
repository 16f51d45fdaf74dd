using System.Buffers;
using Microsoft.Extensions.Logging;

namespace McpGate.Audit.Writing;

/// <summary>
/// The audit file sink: one file per UTC day, written straight to the operating system (an event's line before
/// <c>Emit</c> returns; inside a batch, all its lines with one write before <see cref="EndBatch"/> returns),
/// with count-based retention. It throws on every failure, which <see cref="SerilogAuditLog"/> counts and reports.
/// </summary>
/// <remarks>
/// Serilog.Sinks.File 7.0 offers rolling and retention only through <c>WriteTo</c>, whose failures are swallowed,
/// and its <c>AuditTo.File</c> does not roll; so the roll and the retention are done here, with the same file
/// names. The stream is not opened for appending by the operating system, so two writers on one file would
/// overwrite each other's lines: an exclusive lock file (<c>.{name}.lock</c> beside the files, held while the sink
/// writes) makes a second gateway on the same path fail its writes, loudly, instead. After a failure the file is
/// closed and the next event reopens it, so a full disk or a removed directory recovers without a restart, and a torn last line (a write cut off by the failure) is ended with <c>\n</c> on
/// reopening so the next record starts on a line of its own.
/// </remarks>
internal sealed class RollingAuditFileSink : AuditSink
{
    // A batch of a few thousand lines fits; a buffer that grew past this (one huge list) is not kept.
    private const int RetainedPendingBytes = 1024 * 1024;

    private readonly AuditFileNames _names;
    private readonly int? _retainedFileCount;
    private readonly TimeProvider _time;
    private readonly ILogger _diagnostics;
    private readonly Lock _gate = new();
    private FileStream? _writerLock;
    private FileStream? _stream;

    // The lines formatted but not yet written: one line outside a batch, the whole batch inside one. Written with
    // one write(2), so a line never reaches the file in pieces unless the write itself is cut off.
    private ArrayBufferWriter<byte> _pending = new(16 * 1024);
    private DateOnly _day;
    private bool _batching;
    private bool _disposed;

    public RollingAuditFileSink(string pattern, int? retainedFileCount, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (retainedFileCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(retainedFileCount), retainedFileCount, "Keep at least one file, or null for all.");
        }

        _names = new AuditFileNames(pattern);
        _retainedFileCount = retainedFileCount;
        _time = time;
        _diagnostics = diagnostics;
    }

    /// <summary>The file the next event goes to (today's, by the sink's clock).</summary>
    public string CurrentPath => _names.PathFor(Today());

    protected override void Append<TState>(TState state, Action<TState, IBufferWriter<byte>> format)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                var stream = StreamForToday();
                format(state, _pending);
                if (!_batching)
                {
                    WritePending(stream);
                }
            }
            catch
            {
                Abandon();
                throw;
            }
        }
    }

    public override bool BuffersBatches => true;

    public override void BeginBatch()
    {
        lock (_gate)
        {
            _batching = true;
        }
    }

    public override void EndBatch()
    {
        lock (_gate)
        {
            _batching = false;
            try
            {
                if (_stream is { } stream)
                {
                    WritePending(stream);
                }
            }
            catch
            {
                Abandon();
                throw;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            var stream = _stream;
            var writerLock = _writerLock;
            _stream = null;
            _writerLock = null;

            // Nothing is pending (every Emit or batch was written), so this only releases the handles; a failure here
            // is reported by the caller of Dispose.
            try
            {
                stream?.Dispose();
            }
            finally
            {
                writerLock?.Dispose();
            }
        }
    }

    private FileStream StreamForToday()
    {
        var today = Today();
        if (_stream is not null && today == _day)
        {
            return _stream;
        }

        // A day change: what a batch has formatted so far belongs to the old day's file.
        if (_stream is { } yesterday)
        {
            WritePending(yesterday);
            yesterday.Dispose();
            _stream = null;
        }

        var path = _names.PathFor(today);
        Directory.CreateDirectory(_names.Directory);
        _writerLock ??= new FileStream(_names.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);

        // Unbuffered: _pending is the only buffer, so abandoning a failed write (Abandon) cannot leave bytes in a
        // second one to be written later.
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.None);
        try
        {
            EndTornLine(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _stream = stream;
        _day = today;
        ApplyRetention(path);
        return stream;
    }

    private void WritePending(FileStream stream)
    {
        if (_pending.WrittenCount > 0)
        {
            stream.Write(_pending.WrittenSpan);
        }

        ClearPending();
    }

    private void ClearPending()
    {
        if (_pending.Capacity > RetainedPendingBytes)
        {
            _pending = new ArrayBufferWriter<byte>(16 * 1024);
        }
        else
        {
            _pending.ResetWrittenCount();
        }
    }

    private static void EndTornLine(FileStream stream)
    {
        var length = stream.Length;
        if (length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() != '\n')
            {
                stream.Seek(0, SeekOrigin.End);
                stream.WriteByte((byte)'\n');
            }
        }

        stream.Seek(0, SeekOrigin.End);
    }

    private void ApplyRetention(string currentPath)
    {
        if (_retainedFileCount is not { } keep)
        {
            return;
        }

        try
        {
            var files = _names.ExistingFiles(rolledOnly: true);
            var excess = files.Count - keep;
            for (var i = 0; i < excess; i++)
            {
                // Never the file being written, even if the clock went back and older-named files are newer.
                if (!string.Equals(files[i], currentPath, StringComparison.Ordinal))
                {
                    File.Delete(files[i]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Retention is housekeeping: a file that cannot be deleted now is retried at the next roll, and the
            // write it rode along with has already succeeded.
            _diagnostics.AuditRetentionFailed(_names.Directory, ex);
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    /// <summary>Drops the file after a failed write, and with it the lines not yet written: those records were
    /// reported as lost, and writing them later would put lines in the log out of order.</summary>
    private void Abandon()
    {
        var stream = _stream;
        var writerLock = _writerLock;
        _stream = null;
        _writerLock = null;
        ClearPending();
        DisposeQuietly(stream);
        DisposeQuietly(writerLock);
    }

    private static void DisposeQuietly(FileStream? stream)
    {
        try
        {
            stream?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Neither stream has a buffer of its own, so this only releases a handle; the failure that led here is
            // the one being reported.
        }
    }
}
