using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using McpGate.Configuration;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// One running stdio server as a process: started with its launch settings, newline-delimited JSON-RPC written to its
/// stdin and read from its stdout (one strictly parsed line at a time), stderr to the gate's log, and stopped with its
/// descendants. Which call or session a message belongs to is <see cref="StdioRouter"/>'s business.
/// </summary>
internal sealed class StdioChild : IAsyncDisposable
{
    /// <summary>A line longer than this is not a message the gate will hold: the child is stopped.</summary>
    internal const int MaxLineBytes = 64 * 1024 * 1024;

    private static readonly byte[] s_newline = "\n"u8.ToArray();

    private readonly Process _process;
    private readonly string _alias;
    private readonly ILogger _logger;
    private readonly Stream _stdin;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StdioRouter _router;

    private StdioChild(Process process, string alias, ILogger logger, Func<IEnumerable<StdioSession>> sessions)
    {
        _process = process;
        _alias = alias;
        _logger = logger;
        _stdin = process.StandardInput.BaseStream;
        _router = new StdioRouter(alias, logger, sessions, TryWriteAsync, () => HasExited);
        ProcessId = process.Id;
        _ = ReadStdoutAsync(process.StandardOutput.BaseStream);
        _ = ReadStderrAsync(process.StandardError);
    }

    public int ProcessId { get; }

    /// <summary>Completes with the exit code once the child has exited and its in-flight requests have failed.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public int InFlight => _router.InFlight;

    /// <summary>Completes once no request is in flight on the child (at once when none is).</summary>
    public Task WhenIdleAsync() => _router.WhenIdleAsync();

    /// <exception cref="System.ComponentModel.Win32Exception">The command could not be started.</exception>
    public static StdioChild Start(UpstreamConfig upstream, ILogger logger, Func<IEnumerable<StdioSession>> sessions)
    {
        var start = new ProcessStartInfo(upstream.Command!)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = upstream.Cwd ?? "",
        };
        foreach (var argument in upstream.Args)
        {
            start.ArgumentList.Add(argument);
        }

        ChildEnvironment.Apply(start.Environment, upstream.Env);
        var process = new Process { StartInfo = start };
        process.Start();
        logger.Started(upstream.Alias, process.Id, upstream.Command!);
        return new StdioChild(process, upstream.Alias, logger, sessions);
    }

    /// <summary>
    /// Sends a caller's request and returns the child's answer with the caller's id (or a JSON-RPC error when the
    /// child exits first). Messages the child sends about it on the way go to <paramref name="related"/> when given.
    /// </summary>
    public Task<byte[]> CallAsync(StdioSession? session, CallerMessage request, ChannelWriter<byte[]>? related, CancellationToken cancellationToken) =>
        _router.CallAsync(session, request, related, cancellationToken);

    /// <summary>Passes a caller's notification on; a cancellation names the caller's id, which is mapped to the child's.</summary>
    public Task SendNotificationAsync(StdioSession? session, CallerMessage notification, string method) =>
        _router.SendNotificationAsync(session, notification, method);

    /// <summary>A caller's answer to a request the child sent: back to the child with the child's own id.</summary>
    public Task SendClientResponseAsync(CallerMessage response) => _router.SendClientResponseAsync(response);

    /// <summary>Sends a message the bridge composed itself (already one line of JSON).</summary>
    public Task<bool> SendRawAsync(byte[] line) => TryWriteAsync(line);

    /// <summary>Ends the child: stdin closed, then SIGTERM to it and its descendants, then SIGKILL.</summary>
    public async Task StopAsync(TimeSpan grace, string reason)
    {
        if (HasExited)
        {
            return;
        }

        var descendants = ProcessTree.Descendants(ProcessId);
        try
        {
            _stdin.Close();
        }
        catch (IOException)
        {
        }

        var how = "stdin closed";
        if (!await ExitedWithinAsync(grace))
        {
            how = "SIGTERM";
            ProcessTree.Terminate([ProcessId, .. descendants]);
            if (!await ExitedWithinAsync(grace))
            {
                how = "killed";
                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                await ExitedWithinAsync(grace);
            }
        }

        // A descendant the child did not take down with it (npx's server, say) is not left running.
        ProcessTree.Kill(descendants.Where(ProcessTree.IsAlive));
        _logger.Stopped(_alias, ProcessId, how + ", " + reason);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(2), "disposed");
        _process.Dispose();
    }

    private async Task<bool> ExitedWithinAsync(TimeSpan grace)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task<bool> TryWriteAsync(byte[] line)
    {
        await _writeLock.WaitAsync();
        try
        {
            if (HasExited)
            {
                return false;
            }

            await _stdin.WriteAsync(line);
            await _stdin.WriteAsync(s_newline);
            await _stdin.FlushAsync();
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The child closed its stdin or died; the reader notices the exit and fails what is in flight.
            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadStdoutAsync(Stream stdout)
    {
        var reader = PipeReader.Create(stdout);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync();
                var buffer = read.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    HandleLine(line);
                }

                if (buffer.Length > MaxLineBytes)
                {
                    _logger.LineDropped(_alias, $"a line longer than {MaxLineBytes} bytes; the process is stopped");
                    reader.AdvanceTo(buffer.End);
                    _ = StopAsync(TimeSpan.FromSeconds(1), "line too long");
                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            await reader.CompleteAsync();
            await OnExitedAsync();
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private async Task OnExitedAsync()
    {
        try
        {
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        var code = _process.HasExited ? _process.ExitCode : -1;
        var inFlight = _router.InFlight;
        if (!_exited.TrySetResult(code))
        {
            return;
        }

        _logger.Exited(_alias, ProcessId, code, inFlight);
        _router.FailInFlight();
    }

    private void HandleLine(ReadOnlySequence<byte> line)
    {
        if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        if (line.IsEmpty)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, JsonRpcRewriter.StrictOptions);
        }
        catch (JsonException ex)
        {
            _logger.LineDropped(_alias, "not JSON: " + ex.Message);
            return;
        }

        using (document)
        {
            var message = document.RootElement;
            if (ChildMessage.Validate(message) is { } problem)
            {
                _logger.LineDropped(_alias, problem);
                return;
            }

            _router.Route(message);
        }
    }

    private async Task ReadStderrAsync(StreamReader stderr)
    {
        try
        {
            while (await stderr.ReadLineAsync() is { } line)
            {
                _logger.Stderr(_alias, line.Length <= 4096 ? line : line[..4096] + "…");
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
    }
}
