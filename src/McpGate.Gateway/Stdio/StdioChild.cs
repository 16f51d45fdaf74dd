using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using McpGate.Configuration;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// One running stdio server: newline-delimited JSON-RPC on its stdin and stdout, stderr to the gate's log. Every caller
/// request gets an id of the child's own (a counter), so sessions that reuse the same ids never meet; answers, progress
/// tokens and cancellations are mapped back. Messages the child starts go to the sessions they concern
/// (<see cref="HandleNotification"/>, <see cref="HandleServerRequest"/>).
/// </summary>
internal sealed class StdioChild : IAsyncDisposable
{
    /// <summary>A line longer than this is not a message the gate will hold: the child is stopped.</summary>
    internal const int MaxLineBytes = 64 * 1024 * 1024;

    private static readonly byte[] s_newline = "\n"u8.ToArray();

    private readonly Process _process;
    private readonly string _alias;
    private readonly ILogger _logger;
    private readonly Func<IEnumerable<StdioSession>> _sessions;
    private readonly Stream _stdin;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, PendingCall> _calls = new();
    private readonly ConcurrentDictionary<long, ProgressRoute> _progress = new();
    private readonly ConcurrentDictionary<long, ServerRequestRoute> _serverRequests = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;

    private StdioChild(Process process, string alias, ILogger logger, Func<IEnumerable<StdioSession>> sessions)
    {
        _process = process;
        _alias = alias;
        _logger = logger;
        _sessions = sessions;
        _stdin = process.StandardInput.BaseStream;
        ProcessId = process.Id;
        _ = ReadStdoutAsync(process.StandardOutput.BaseStream);
        _ = ReadStderrAsync(process.StandardError);
    }

    public int ProcessId { get; }

    /// <summary>Completes with the exit code once the child has exited and its in-flight requests have failed.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public int InFlight => _calls.Count;

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
    public async Task<byte[]> CallAsync(StdioSession? session, CallerMessage request, ChannelWriter<byte[]>? related, CancellationToken cancellationToken)
    {
        var originalId = request.Id;
        var childId = Interlocked.Increment(ref _nextId);
        long? childToken = null;
        if (request.ProgressToken is { } token)
        {
            childToken = Interlocked.Increment(ref _nextId);
            _progress[childToken.Value] = new ProgressRoute(session, token, related);
        }

        var call = new PendingCall(session, originalId, related);
        _calls[childId] = call;
        session?.TrackCall(originalId, childId);
        try
        {
            if (HasExited)
            {
                return ExitedError(originalId);
            }

            var line = request.ToLine(
                id: JsonRpcRewriter.Raw(childId),
                progressToken: childToken is { } t ? JsonRpcRewriter.Raw(t) : null);
            if (!await TryWriteAsync(line))
            {
                return ExitedError(originalId);
            }

            using (cancellationToken.UnsafeRegister(static (state, token) => ((PendingCall)state!).Answer.TrySetCanceled(token), call))
            {
                try
                {
                    return await call.Answer.Task;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !HasExited)
                {
                    // The caller is gone: tell the child, so it stops working on an answer nobody will read.
                    _ = TryWriteAsync(Cancelled(childId, "the caller went away"));
                    throw;
                }
            }
        }
        finally
        {
            _calls.TryRemove(childId, out _);
            if (childToken is { } t)
            {
                _progress.TryRemove(t, out _);
            }

            session?.UntrackCall(originalId);
        }
    }

    /// <summary>Passes a caller's notification on; a cancellation names the caller's id, which is mapped to the child's.</summary>
    public Task SendNotificationAsync(StdioSession? session, CallerMessage notification, string method)
    {
        byte[]? cancelled = null;
        if (method == "notifications/cancelled")
        {
            if (session is null || notification.RequestId is not { } requestId || !session.TryGetChildId(Encoding.UTF8.GetString(requestId), out var childId))
            {
                // Not one of this session's calls in flight: passing it on could cancel another session's call.
                return Task.CompletedTask;
            }

            cancelled = JsonRpcRewriter.Raw(childId);
        }

        return TryWriteAsync(notification.ToLine(requestId: cancelled));
    }

    /// <summary>A caller's answer to a request the child sent: back to the child with the child's own id.</summary>
    public Task SendClientResponseAsync(CallerMessage response)
    {
        if (response.TryGetIntegerId(out var bridgeId) && _serverRequests.TryRemove(bridgeId, out var route))
        {
            return TryWriteAsync(response.ToLine(id: route.ChildId));
        }

        return Task.CompletedTask;
    }

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
        var inFlight = _calls.Count;
        if (!_exited.TrySetResult(code))
        {
            return;
        }

        _logger.Exited(_alias, ProcessId, code, inFlight);
        foreach (var (_, call) in _calls)
        {
            call.Answer.TrySetResult(ExitedError(call.OriginalId));
        }
    }

    private byte[] ExitedError(byte[] originalId) =>
        JsonRpcRewriter.Error(originalId, StdioErrors.ServerExited, $"server '{_alias}' exited before answering; the gate restarts it on the next request");

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

            var hasMethod = message.TryGetProperty("method", out var methodElement);
            var hasId = message.TryGetProperty("id", out var id);
            if (!hasMethod)
            {
                HandleResponse(message, id);
            }
            else if (hasId)
            {
                HandleServerRequest(message, id, methodElement.GetString()!);
            }
            else
            {
                HandleNotification(message, methodElement.GetString()!);
            }
        }
    }

    private void HandleResponse(JsonElement message, JsonElement id)
    {
        if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var childId) && _calls.TryGetValue(childId, out var call))
        {
            call.Answer.TrySetResult(JsonRpcRewriter.Rewrite(message, new JsonRpcReplacements(Id: call.OriginalId)));
        }
        else
        {
            _logger.LineDropped(_alias, "an answer to no request in flight");
        }
    }

    /// <summary>
    /// Sampling, elicitation, roots: the child asks a client. In a shared child the only sound choice is the one
    /// session with a call in flight (the child is asking because of it); with none or several, the child is told no.
    /// </summary>
    private void HandleServerRequest(JsonElement message, JsonElement id, string method)
    {
        StdioSession? target = null;
        ChannelWriter<byte[]>? related = null;
        var ambiguous = false;
        foreach (var (_, call) in _calls)
        {
            if (call.Session is null)
            {
                continue;
            }

            if (target is not null && !ReferenceEquals(target, call.Session))
            {
                ambiguous = true;
                break;
            }

            target = call.Session;
            related ??= call.Related;
        }

        string? refusal = ambiguous ? "calls of several sessions are in flight, so which client to ask is ambiguous"
            : target is null ? "no session has a call in flight" : null;
        if (refusal is null)
        {
            var bridgeId = Interlocked.Increment(ref _nextId);
            _serverRequests[bridgeId] = new ServerRequestRoute(target!, JsonRpcRewriter.Raw(id));
            if (target!.Deliver(JsonRpcRewriter.Rewrite(message, new JsonRpcReplacements(Id: JsonRpcRewriter.Raw(bridgeId))), related))
            {
                return;
            }

            _serverRequests.TryRemove(bridgeId, out _);
            refusal = "the session has no open stream to receive it";
        }

        _logger.ServerRequestRefused(_alias, method, refusal);
        _ = TryWriteAsync(JsonRpcRewriter.Error(JsonRpcRewriter.Raw(id), StdioErrors.NoClient, "McpGate: " + refusal + " (docs/stdio.md)"));
    }

    private void HandleNotification(JsonElement message, string method)
    {
        var parameters = message.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        switch (method)
        {
            case "notifications/progress":
                if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("progressToken", out var token)
                    && token.ValueKind == JsonValueKind.Number && token.TryGetInt64(out var childToken) && _progress.TryGetValue(childToken, out var route))
                {
                    route.Session?.Deliver(JsonRpcRewriter.Rewrite(message, new JsonRpcReplacements(ProgressToken: route.OriginalToken)), route.Related);
                }

                return;
            case "notifications/cancelled":
                // The child withdraws a request it sent a client: only that client hears of it, by the id it knows.
                if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("requestId", out var requestId))
                {
                    var raw = requestId.GetRawText();
                    foreach (var (bridgeId, request) in _serverRequests)
                    {
                        if (Encoding.UTF8.GetString(request.ChildId) == raw && _serverRequests.TryRemove(bridgeId, out _))
                        {
                            request.Session.Deliver(JsonRpcRewriter.Rewrite(message, new JsonRpcReplacements(CancelledRequestId: JsonRpcRewriter.Raw(bridgeId))));
                        }
                    }
                }

                return;
            case "notifications/resources/updated":
                var uri = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("uri", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                var update = JsonRpcRewriter.Rewrite(message, default);
                foreach (var session in _sessions())
                {
                    if (uri is not null && session.IsSubscribed(uri))
                    {
                        session.Deliver(update);
                    }
                }

                return;
            default:
                // list_changed, logging and the rest concern every session of this child.
                var copy = JsonRpcRewriter.Rewrite(message, default);
                foreach (var session in _sessions())
                {
                    session.Deliver(copy);
                }

                return;
        }
    }

    private static byte[] Cancelled(long childId, string reason)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteString("method", "notifications/cancelled");
            writer.WriteStartObject("params");
            writer.WriteNumber("requestId", childId);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
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

    private sealed class PendingCall(StdioSession? session, byte[] originalId, ChannelWriter<byte[]>? related)
    {
        public StdioSession? Session { get; } = session;

        public byte[] OriginalId { get; } = originalId;

        public ChannelWriter<byte[]>? Related { get; } = related;

        public TaskCompletionSource<byte[]> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record ProgressRoute(StdioSession? Session, byte[] OriginalToken, ChannelWriter<byte[]>? Related);

    private sealed record ServerRequestRoute(StdioSession Session, byte[] ChildId);
}

/// <summary>The JSON-RPC error codes the bridge answers with itself (docs/stdio.md, "What is refused").</summary>
internal static class StdioErrors
{
    /// <summary>The child exited (or could not be written to) before it answered.</summary>
    public const int ServerExited = -32603;

    /// <summary>A server-to-client request no single session could be asked.</summary>
    public const int NoClient = -32603;

    /// <summary><c>stdio.maxProcesses</c> per-session children are running already.</summary>
    public const int TooManyProcesses = -32000;
}

/// <summary>What the bridge accepts from a child: one JSON-RPC 2.0 object, a request, a notification or a response.</summary>
internal static class ChildMessage
{
    public static string? Validate(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return "not a JSON object";
        }

        if (!message.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
        {
            return "no \"jsonrpc\": \"2.0\"";
        }

        var hasId = message.TryGetProperty("id", out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return "an id that is neither a string nor a number";
        }

        if (message.TryGetProperty("method", out var method))
        {
            return method.ValueKind != JsonValueKind.String ? "a method that is not a string"
                : message.TryGetProperty("result", out _) || message.TryGetProperty("error", out _) ? "a request with a result or error" : null;
        }

        var hasResult = message.TryGetProperty("result", out _);
        var hasError = message.TryGetProperty("error", out var error);
        return !hasId ? "neither a request, a notification nor a response"
            : hasResult == hasError ? "a response needs exactly one of result and error"
            : hasError && error.ValueKind != JsonValueKind.Object ? "an error that is not an object"
            : null;
    }
}
