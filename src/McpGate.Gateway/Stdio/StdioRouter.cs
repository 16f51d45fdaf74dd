using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using McpGate.Mcp.JsonRpc;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// The message side of one stdio child: every caller request gets an id of the child's own (a counter), so sessions
/// that reuse the same ids never meet; answers, progress tokens and cancellations are mapped back. Messages the child
/// starts go to the sessions they concern (<see cref="HandleNotification"/>, <see cref="HandleServerRequest"/>).
/// The process itself (start, stdin and stdout, exit, stop) is <see cref="StdioChild"/>'s.
/// </summary>
internal sealed class StdioRouter(string alias, ILogger logger, Func<IEnumerable<StdioSession>> sessions, Func<byte[], Task<bool>> write, Func<bool> hasExited)
{
    private readonly ConcurrentDictionary<long, PendingCall> _calls = new();
    private readonly ConcurrentDictionary<long, ProgressRoute> _progress = new();
    private readonly ConcurrentDictionary<long, ServerRequestRoute> _serverRequests = new();
    private long _nextId;
    private TaskCompletionSource? _idle;

    public int InFlight => _calls.Count;

    /// <summary>
    /// Completes once no call is in flight (at once when none is): a retired upstream's child is stopped only then. One
    /// waiter at a time (the retirement).
    /// </summary>
    public Task WhenIdleAsync()
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _idle, idle);
        if (_calls.IsEmpty)
        {
            idle.TrySetResult();
        }

        return idle.Task;
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
        session?.TrackCall(request.Inspected.Id, childId);
        try
        {
            if (hasExited())
            {
                return ExitedError(originalId);
            }

            var line = request.ToLine(
                id: JsonRpcRewriter.Raw(childId),
                progressToken: childToken is { } t ? JsonRpcRewriter.Raw(t) : null);
            if (!await write(line))
            {
                return ExitedError(originalId);
            }

            using (cancellationToken.UnsafeRegister(static (state, token) => ((PendingCall)state!).Answer.TrySetCanceled(token), call))
            {
                try
                {
                    return await call.Answer.Task;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !hasExited())
                {
                    // The caller is gone: tell the child, so it stops working on an answer nobody will read.
                    _ = write(Cancelled(childId, "the caller went away"));
                    throw;
                }
            }
        }
        finally
        {
            _calls.TryRemove(childId, out _);
            // IsEmpty takes every lock of the dictionary: only asked while someone waits.
            if (Volatile.Read(ref _idle) is { } idle && _calls.IsEmpty)
            {
                idle.TrySetResult();
            }

            if (childToken is { } t)
            {
                _progress.TryRemove(t, out _);
            }

            session?.UntrackCall(request.Inspected.Id);
        }
    }

    /// <summary>Passes a caller's notification on; a cancellation names the caller's id, which is mapped to the child's.</summary>
    public Task SendNotificationAsync(StdioSession? session, CallerMessage notification, string method)
    {
        byte[]? cancelled = null;
        if (method == "notifications/cancelled")
        {
            if (session is null || !session.TryGetChildId(notification.RequestId, out var childId))
            {
                // Not one of this session's calls in flight: passing it on could cancel another session's call.
                return Task.CompletedTask;
            }

            cancelled = JsonRpcRewriter.Raw(childId);
        }

        return write(notification.ToLine(requestId: cancelled));
    }

    /// <summary>A caller's answer to a request the child sent: back to the child with the child's own id.</summary>
    public Task SendClientResponseAsync(CallerMessage response)
    {
        if (response.TryGetIntegerId(out var bridgeId) && _serverRequests.TryRemove(bridgeId, out var route))
        {
            return write(response.ToLine(id: route.ChildId));
        }

        return Task.CompletedTask;
    }

    /// <summary>A line from the child that <see cref="ChildMessage.Validate"/> accepted: to the call or sessions it concerns.</summary>
    public void Route(JsonElement message)
    {
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

    /// <summary>The child exited: every call in flight is answered with an error, at once.</summary>
    public void FailInFlight()
    {
        foreach (var (_, call) in _calls)
        {
            call.Answer.TrySetResult(ExitedError(call.OriginalId));
        }
    }

    private byte[] ExitedError(byte[] originalId) =>
        JsonRpcRewriter.Error(originalId, StdioErrors.ServerExited, $"server '{alias}' exited before answering; the gate restarts it on the next request");

    private void HandleResponse(JsonElement message, JsonElement id)
    {
        if (id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var childId) && _calls.TryGetValue(childId, out var call))
        {
            call.Answer.TrySetResult(JsonRpcRewriter.Rewrite(message, new JsonRpcReplacements(Id: call.OriginalId)));
        }
        else
        {
            logger.LineDropped(alias, "an answer to no request in flight");
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
            _serverRequests[bridgeId] = new ServerRequestRoute(target!, JsonRpcRewriter.Raw(id), ReadId(id));
            if (target!.Deliver(JsonRpcRewriter.Rewrite(message, new JsonRpcReplacements(Id: JsonRpcRewriter.Raw(bridgeId))), related))
            {
                return;
            }

            _serverRequests.TryRemove(bridgeId, out _);
            refusal = "the session has no open stream to receive it";
        }

        logger.ServerRequestRefused(alias, method, refusal);
        _ = write(JsonRpcRewriter.Error(JsonRpcRewriter.Raw(id), StdioErrors.NoClient, "McpGate: " + refusal + " (docs/stdio.md)"));
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
                    // By value, as the child's JSON reads it: "a\u0062" withdraws the request it sent as "ab".
                    var withdrawn = ReadId(requestId);
                    foreach (var (bridgeId, request) in _serverRequests)
                    {
                        if (withdrawn.IsPresent && request.Id.Equals(withdrawn) && _serverRequests.TryRemove(bridgeId, out _))
                        {
                            request.Session.Deliver(JsonRpcRewriter.Rewrite(message, new JsonRpcReplacements(CancelledRequestId: JsonRpcRewriter.Raw(bridgeId))));
                        }
                    }
                }

                return;
            case "notifications/resources/updated":
                var uri = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("uri", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                var update = JsonRpcRewriter.Rewrite(message, default);
                foreach (var session in sessions())
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
                foreach (var session in sessions())
                {
                    session.Deliver(copy);
                }

                return;
        }
    }

    private static JsonRpcId ReadId(JsonElement id) => JsonRpcId.TryParse(id.GetRawText(), out var read) ? read : default;

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

    private sealed class PendingCall(StdioSession? session, byte[] originalId, ChannelWriter<byte[]>? related)
    {
        public StdioSession? Session { get; } = session;

        public byte[] OriginalId { get; } = originalId;

        public ChannelWriter<byte[]>? Related { get; } = related;

        public TaskCompletionSource<byte[]> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record ProgressRoute(StdioSession? Session, byte[] OriginalToken, ChannelWriter<byte[]>? Related);

    /// <param name="ChildId">The child's id as it is written back to it.</param>
    /// <param name="Id">The same id as the gate compares ids (<see cref="JsonRpcId"/>).</param>
    private sealed record ServerRequestRoute(StdioSession Session, byte[] ChildId, JsonRpcId Id);
}
