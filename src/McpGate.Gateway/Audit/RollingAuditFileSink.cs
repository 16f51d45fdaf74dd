using System.Text;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace McpGate.Gateway.Audit;

/// <summary>
/// The audit file sink: one file per UTC day, unbuffered (every event is flushed to the operating system before
/// <see cref="Emit"/> returns, or, inside a batch, before <see cref="EndBatch"/> returns), with count-based retention. It throws on every failure, which the audit pipeline
/// (<c>AuditTo</c>) hands back to <see cref="SerilogAuditLog"/>.
/// </summary>
/// <remarks>
/// Serilog.Sinks.File 7.0 offers rolling and retention only through <c>WriteTo</c>, whose failures are swallowed,
/// and its <c>AuditTo.File</c> does not roll; so the roll and the retention are done here, with the same file
/// names. The stream is not opened for appending by the operating system, so two writers on one file would
/// overwrite each other's lines: an exclusive lock file (<c>.{name}.lock</c> beside the files, held while the sink
/// writes) makes a second gateway on the same path fail its writes, loudly, instead. After a failure the file is closed and the next event reopens it, so a full disk or a removed directory
/// recovers without a restart, and a torn last line (a write cut off by the failure) is ended with <c>\n</c> on
/// reopening so the next record starts on a line of its own.
/// </remarks>
internal sealed class RollingAuditFileSink : ILogEventSink, IBatchingAuditSink, IDisposable
{
    // Comfortably more than a line, so a line reaches the file in one write.
    private const int LineBufferChars = 16 * 1024;

    private static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly AuditFileNames _names;
    private readonly int? _retainedFileCount;
    private readonly ITextFormatter _formatter;
    private readonly TimeProvider _time;
    private readonly ILogger _diagnostics;
    private readonly Lock _gate = new();
    private FileStream? _writerLock;
    private FileStream? _stream;
    private StreamWriter? _writer;
    private DateOnly _day;
    private bool _batching;
    private bool _disposed;

    public RollingAuditFileSink(string pattern, int? retainedFileCount, ITextFormatter formatter, TimeProvider time, ILogger diagnostics)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (retainedFileCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(retainedFileCount), retainedFileCount, "Keep at least one file, or null for all.");
        }

        _names = new AuditFileNames(pattern);
        _retainedFileCount = retainedFileCount;
        _formatter = formatter;
        _time = time;
        _diagnostics = diagnostics;
    }

    /// <summary>The file the next event goes to (today's, by the sink's clock).</summary>
    public string CurrentPath => _names.PathFor(Today());

    public void Emit(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                var writer = WriterForToday();
                _formatter.Format(logEvent, writer);
                if (!_batching)
                {
                    writer.Flush();
                }
            }
            catch
            {
                Abandon();
                throw;
            }
        }
    }

    public void BeginBatch()
    {
        lock (_gate)
        {
            _batching = true;
        }
    }

    public void EndBatch()
    {
        lock (_gate)
        {
            _batching = false;
            try
            {
                _writer?.Flush();
            }
            catch
            {
                Abandon();
                throw;
            }
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
            var writer = _writer;
            var writerLock = _writerLock;
            _writer = null;
            _stream = null;
            _writerLock = null;

            // Nothing is pending (every Emit or batch flushed), so this only releases the handles; a failure here is
            // reported by the caller of Dispose.
            try
            {
                writer?.Dispose();
            }
            finally
            {
                writerLock?.Dispose();
            }
        }
    }

    private StreamWriter WriterForToday()
    {
        var today = Today();
        if (_writer is not null && today == _day)
        {
            return _writer;
        }

        // A day change: closing flushes what a batch has written so far into the old day's file, where it belongs.
        _writer?.Dispose();
        _writer = null;
        _stream = null;

        var path = _names.PathFor(today);
        Directory.CreateDirectory(_names.Directory);
        _writerLock ??= new FileStream(_names.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);

        // The stream itself is unbuffered: the writer's buffer holds one line and its Flush is one write, and
        // abandoning a failed line (Abandon) cannot leave bytes in a second buffer to be written later.
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
        _writer = new StreamWriter(stream, s_utf8NoBom, bufferSize: LineBufferChars) { AutoFlush = false };
        _day = today;
        ApplyRetention(path);
        return _writer;
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

    /// <summary>Drops the file after a failed write without flushing what the failed write left in the writer's
    /// buffer: that record was reported as lost, and writing it later would put a line in the log out of order.</summary>
    private void Abandon()
    {
        var stream = _stream;
        var writerLock = _writerLock;
        _stream = null;
        _writer = null;
        _writerLock = null;
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
