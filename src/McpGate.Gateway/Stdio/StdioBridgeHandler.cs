using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using McpGate.Gateway.Forwarding;
using McpGate.Gateway.Inspection;
using McpGate.Mcp.JsonRpc;
using McpGate.Configuration;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// The Streamable HTTP server side of a stdio upstream, in process: YARP forwards to it as to any upstream (it is the
/// stdio clusters' <see cref="HttpMessageInvoker"/>), so everything the gate does before and after the forwarder is the
/// same code for both kinds of upstream. POST carries JSON-RPC to the child and its answers back (JSON, or an event
/// stream when the caller asked for progress); GET is the session's stream of what the child sends on its own;
/// DELETE ends the session. docs/stdio.md.
/// </summary>
internal sealed class StdioBridgeHandler(StdioUpstreams upstreams) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private static readonly MediaTypeHeaderValue s_eventStream = new("text/event-stream");

    /// <summary>Set by the request transform: the inspector's reading of the body in <see cref="InspectedBodyHandler.BodyKey"/>.</summary>
    public static readonly HttpRequestOptionsKey<InspectionResult> InspectionKey = new("McpGate.Inspection");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!StdioAddresses.TryGetAlias(request.RequestUri, out var alias) || upstreams.Find(alias) is not { } upstream)
        {
            return Error(HttpStatusCode.NotFound, "null"u8.ToArray(), -32601, "no such stdio server");
        }

        var sessionId = request.Headers.TryGetValues(McpHeaders.SessionId, out var ids) ? ids.FirstOrDefault() : null;
        StdioSession? session = null;
        if (!string.IsNullOrEmpty(sessionId) && (session = upstream.FindSession(sessionId)) is null)
        {
            return Error(HttpStatusCode.NotFound, "null"u8.ToArray(), -32001, "Session not found");
        }

        try
        {
            if (request.Method == HttpMethod.Post)
            {
                return await PostAsync(upstream, session, request, cancellationToken);
            }

            if (session is null)
            {
                // As a Streamable HTTP server without sessions: no stream to open, nothing to end.
                return new HttpResponseMessage(HttpStatusCode.MethodNotAllowed) { RequestMessage = request };
            }

            if (request.Method == HttpMethod.Delete)
            {
                await upstream.EndSessionAsync(session, "session ended (DELETE)");
                return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
            }

            return Listen(session, request);
        }
        catch (StdioStartException ex)
        {
            // YARP turns this into the gate's 502 upstream_unavailable; the cause is in the log and /readyz.
            throw new HttpRequestException($"stdio server '{alias}' is unavailable: {ex.Message}", ex);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(StdioUpstream upstream, StdioSession? session, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (messages, isBatch, failure) = await ReadAsync(request, cancellationToken);
        if (failure is not null)
        {
            return Error(HttpStatusCode.BadRequest, "null"u8.ToArray(), failure.Code, failure.Message);
        }

        var first = messages[0];
        var shared = upstream.Settings.Sharing == StdioSharing.Shared;
        if (!isBatch && first.Method == McpMethods.Initialize && first.HasId)
        {
            var (created, answer) = shared
                ? await upstream.InitializeSharedAsync(first, cancellationToken)
                : await upstream.InitializePerSessionAsync(first, cancellationToken);
            var response = Json(HttpStatusCode.OK, answer, request);
            if (created is not null)
            {
                response.Headers.Add(McpHeaders.SessionId, created.Id);
            }

            return response;
        }

        if (session is null && !shared)
        {
            return Error(HttpStatusCode.BadRequest, first.Id, JsonRpcResponses.InvalidRequest,
                $"server '{upstream.Config.Alias}' runs a process per session: start one with initialize");
        }

        var child = await upstream.ChildForAsync(session, cancellationToken);
        var requests = new List<CallerMessage>();
        foreach (var message in messages)
        {
            var method = message.Method;
            if (method is null)
            {
                await child.SendClientResponseAsync(message);
            }
            else if (message.HasId)
            {
                requests.Add(message);
                TrackSubscription(session, message.Inspected);
            }
            else if (method != "notifications/initialized" || !shared)
            {
                // A shared child was initialized by the gate, which told it so already.
                await child.SendNotificationAsync(session, message, method);
            }
        }

        if (requests.Count == 0)
        {
            return new HttpResponseMessage(HttpStatusCode.Accepted) { RequestMessage = request };
        }

        if (WantsStream(request, requests))
        {
            return Stream(child, session, requests, isBatch, request, cancellationToken);
        }

        var answers = await Task.WhenAll(requests.Select(message => child.CallAsync(session, message, null, cancellationToken)));
        var status = HttpStatusCode.OK;
        if (!isBatch && first.Method == McpMethods.ServerDiscover && answers[0].AsSpan().IndexOf("\"error\""u8) >= 0)
        {
            // A child of an older protocol era does not know the 2026-07-28 probe; as an HTTP server of that era, the
            // bridge refuses it with 400, which is what sends a client back to initialize.
            status = HttpStatusCode.BadRequest;
        }

        return Json(status, isBatch ? JoinArray(answers) : answers[0], request);
    }

    /// <summary>
    /// The body's messages as the gate read them. Through the gate, the request carries the inspector's reading of the
    /// buffer it decided on (<see cref="InspectionKey"/>, <see cref="InspectedBodyHandler.BodyKey"/>), and the child
    /// gets those bytes: a second parser here would be a second reading, one that could see another method, tool or
    /// argument than the one the gate decided and audited. A request that did not pass the gate (discovery by
    /// <c>mcp acl</c>) is read by the same inspector, here.
    /// </summary>
    private static async Task<(CallerMessage[] Messages, bool IsBatch, InspectionFailure? Failure)> ReadAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(InspectionKey, out var inspected) && request.Options.TryGetValue(InspectedBodyHandler.BodyKey, out var body))
        {
            return (CallerMessage.From(body.Span, inspected), inspected.IsBatch, null);
        }

        var bytes = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var inspection = JsonRpcInspector.Inspect(bytes);
        return inspection.Failure is { } failure ? ([], false, failure) : (CallerMessage.From(bytes, inspection), inspection.IsBatch, null);
    }

    /// <summary>An event stream only when the caller accepts one and asked for progress: everything else is one JSON answer.</summary>
    private static bool WantsStream(HttpRequestMessage request, List<CallerMessage> requests) =>
        request.Headers.Accept.Any(a => a.MediaType == "text/event-stream") && requests.Any(message => message.Inspected.ProgressTokenLocation.IsPresent);

    private static HttpResponseMessage Stream(StdioChild child, StdioSession? session, List<CallerMessage> requests, bool isBatch, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var related = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        var calls = requests.Select(message => child.CallAsync(session, message, related.Writer, cancellationToken)).ToArray();
        _ = Task.WhenAll(calls).ContinueWith(static (_, writer) => ((ChannelWriter<byte[]>)writer!).TryComplete(), related.Writer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var pipe = new Pipe();
        _ = PumpAsync(related.Reader, pipe.Writer, tail: calls);
        return EventStream(pipe, request);
    }

    private static HttpResponseMessage Listen(StdioSession session, HttpRequestMessage request)
    {
        var reader = session.Listen();
        var pipe = new Pipe();
        _ = PumpAsync(reader, pipe.Writer, tail: null).ContinueWith(
            static (_, state) =>
            {
                var (s, r) = ((StdioSession, ChannelReader<byte[]>))state!;
                s.StopListening(r);
            },
            (session, reader),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return EventStream(pipe, request);
    }

    /// <summary>Writes each message as an SSE event until the channel ends or the reader (YARP, for the caller) goes
    /// away; then the answers in <paramref name="tail"/>, if any.</summary>
    private static async Task PumpAsync(ChannelReader<byte[]> messages, PipeWriter output, Task<byte[]>[]? tail)
    {
        try
        {
            await foreach (var message in messages.ReadAllAsync())
            {
                if (!await WriteEventAsync(output, message))
                {
                    return;
                }
            }

            foreach (var answer in tail ?? [])
            {
                if (!await WriteEventAsync(output, await answer))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await output.CompleteAsync();
        }
    }

    private static async ValueTask<bool> WriteEventAsync(PipeWriter output, byte[] message)
    {
        output.Write("event: message\ndata: "u8);
        output.Write(message);
        output.Write("\n\n"u8);
        var flushed = await output.FlushAsync();
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    private static HttpResponseMessage EventStream(Pipe pipe, HttpRequestMessage request)
    {
        var content = new StreamContent(pipe.Reader.AsStream());
        content.Headers.ContentType = s_eventStream;
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        response.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return response;
    }

    private static void TrackSubscription(StdioSession? session, InspectedMessage message)
    {
        if (session is null || message.Uri is not { } uri)
        {
            return;
        }

        if (message.Method == McpMethods.ResourcesSubscribe)
        {
            session.Subscribe(uri);
        }
        else if (message.Method == McpMethods.ResourcesUnsubscribe)
        {
            session.Unsubscribe(uri);
        }
    }

    private static byte[] JoinArray(byte[][] answers)
    {
        var length = 2 + answers.Sum(a => a.Length + 1);
        var joined = new byte[length - (answers.Length > 0 ? 1 : 0)];
        var position = 0;
        joined[position++] = (byte)'[';
        for (var i = 0; i < answers.Length; i++)
        {
            if (i > 0)
            {
                joined[position++] = (byte)',';
            }

            answers[i].CopyTo(joined, position);
            position += answers[i].Length;
        }

        joined[position] = (byte)']';
        return joined;
    }

    private static HttpResponseMessage Json(HttpStatusCode status, byte[] body, HttpRequestMessage? request)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = s_json;
        return new HttpResponseMessage(status) { Content = content, RequestMessage = request };
    }

    private static HttpResponseMessage Error(HttpStatusCode status, byte[] id, int code, string message) =>
        Json(status, JsonRpcRewriter.Error(id, code, message), null);
}
