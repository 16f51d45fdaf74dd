using System.Buffers;
using McpGate.Audit;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Inspection;
using McpGate.Gateway.Sessions;
using McpGate.Gateway.Telemetry;
using McpGate.Mcp.Buffers;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Mcp.Sse;
using McpGate.Policy.Classification;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Transforms;

namespace McpGate.Gateway.Forwarding;

/// <summary>
/// The response half of the gate (docs/architecture.md step 11): binds new sessions to their subject, filters list
/// responses in JSON and SSE, observes <c>tools/call</c> outcomes for the audit, and watches SSE streams for
/// <c>notifications/tools/list_changed</c>. SSE is relayed event by event, flushed as it arrives, never buffered. What
/// it must read (lists, tool results, batch answers) it reads only in identity encoding, and refuses otherwise.
/// </summary>
internal sealed class GateResponseTransform(SessionSealer sessions, ToolCatalog catalog, ToolClassifier classifier, IAuditLog audit, GateMetrics metrics)
{
    // A JSON (non-SSE) response the gate must rewrite is read whole; past this it is refused rather than held.
    private const int MaxBufferedResponseBytes = 64 * 1024 * 1024;

    public async ValueTask ApplyAsync(ResponseTransformContext context)
    {
        var http = context.HttpContext;
        if (http.Features.Get<GateRequestContext>() is not { } gate || context.ProxyResponse is not { } response)
        {
            return;
        }

        var method = gate.Message?.Method;
        if (response.Headers.TryGetValues(McpHeaders.SessionId, out var ids))
        {
            // YARP has copied the upstream's id to the client's response; the client gets it sealed to its subject
            // instead (an upstream id the client could present bare would bind to no one).
            http.Response.Headers.Remove(McpHeaders.SessionId);
            if (method == McpMethods.Initialize && response.IsSuccessStatusCode && ids.FirstOrDefault() is { Length: > 0 } sessionId)
            {
                http.Response.Headers[McpHeaders.SessionId] = sessions.Seal(SealedSession.For(gate.Upstream.Alias, sessionId, gate.Identity));
            }
            else if (gate.SealedSessionId is { } presented)
            {
                http.Response.Headers[McpHeaders.SessionId] = presented;
            }
        }

        if (HttpMethods.IsDelete(http.Request.Method) && response.IsSuccessStatusCode && gate.SealedSessionId is { } endedSession)
        {
            // Ended before the client hears the DELETE succeeded, so the id is dead here the moment it thinks so.
            sessions.End(endedSession);
        }

        gate.UpstreamStatus = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            if (method == McpMethods.ToolsCall)
            {
                gate.ObservedResult = AuditResults.UpstreamError;
            }

            // A 5xx body is the upstream's own text (stack traces, paths); the caller gets a JSON-RPC error instead.
            // 4xx pass as they are: clients act on them (404 starts a new session, 400 drives version fallback).
            if ((int)response.StatusCode >= 500)
            {
                context.SuppressResponseBody = true;
                await JsonRpcResponses.WriteUpstreamFailureAsync(http, StatusCodes.Status502BadGateway, gate.Message?.Id ?? default, "upstream_error",
                    $"server '{gate.Upstream.Alias}' answered HTTP {(int)response.StatusCode}");
            }

            return;
        }

        if (!HasIdentityEncoding(response.Content) && (gate.ListKind is not null || gate.Batch is not null || method == McpMethods.ToolsCall))
        {
            // Asked for identity and answered otherwise: the gate cannot read what it must filter or audit, and a
            // list passed on encoded would show the caller everything.
            context.SuppressResponseBody = true;
            await JsonRpcResponses.WriteUpstreamFailureAsync(http, StatusCodes.Status502BadGateway, gate.Message?.Id ?? default, "upstream_error",
                $"server '{gate.Upstream.Alias}' answered with a Content-Encoding the gate cannot inspect");
            return;
        }

        var mediaType = MediaTypeOf(response.Content);
        var isSse = mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase);
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        if (isSse && !HasIdentityEncoding(response.Content))
        {
            // The list_changed watch below could not read it; the caller (who may accept the encoding) still gets it.
            return;
        }

        if (isSse)
        {
            // Only an event stream can carry a server notification; a JSON body is one response and is not watched.
            http.Response.Body = new ListChangedWatchStream(http.Response.Body, () =>
            {
                catalog.MarkStale(gate.Upstream.Alias);
                _ = catalog.RefreshAsync(gate.Upstream, gate.State.Config.Gateway.DiscoveryTimeout, force: true, CancellationToken.None);
            });
        }
        else if (!isJson)
        {
            if (gate.ListKind is not null)
            {
                // A list the gate cannot read cannot be filtered, and passing it on would show hidden items.
                context.SuppressResponseBody = true;
                await JsonRpcResponses.WriteUpstreamFailureAsync(http, StatusCodes.Status502BadGateway, gate.Message?.Id ?? default, "upstream_error",
                    $"server '{gate.Upstream.Alias}' answered a list that is neither JSON nor an event stream");
            }

            return;
        }

        if (gate.ListKind is { } listKind)
        {
            context.SuppressResponseBody = true;
            var visibility = new PolicyListVisibility(gate, classifier, listKind == ListKind.Tools ? catalog.DescriptorMemo(gate.Upstream.Alias) : null);
            var privateCache = McpHeaders.ValidatesMirroredHeaders(http.Request.Headers[McpHeaders.ProtocolVersion]);
            if (isJson)
            {
                await FilterJsonAsync(context, gate, listKind, visibility, privateCache);
            }
            else
            {
                PrepareStreaming(http);
                await using var upstream = await response.Content.ReadAsStreamAsync(context.CancellationToken);
                await SseListFilter.CopyAsync(upstream, http.Response.Body, gate.Message!.Id, listKind, visibility, outcome =>
                {
                    RecordListed(gate, outcome);
                    return ValueTask.CompletedTask;
                }, privateCache, context.CancellationToken);
            }

            return;
        }

        if (gate.Batch is { } batch)
        {
            context.SuppressResponseBody = true;
            if (isJson)
            {
                using var body = await ReadBoundedAsync(context);
                if (body is null)
                {
                    http.Abort();
                    return;
                }

                BatchResponseObserver.Observe(body.Span, batch);
                await http.Response.Body.WriteAsync(body.Memory, context.CancellationToken);
            }
            else
            {
                PrepareStreaming(http);
                await RelayObservingAsync(context, data => BatchResponseObserver.Observe(data, batch));
            }

            return;
        }

        if (method == McpMethods.ToolsCall && isJson)
        {
            context.SuppressResponseBody = true;
            using var body = await ReadBoundedAsync(context);
            gate.ObservedResult = body is null ? AuditResults.UpstreamError : ToolResultObserver.Classify(body.Span);
            if (body is not null)
            {
                await http.Response.Body.WriteAsync(body.Memory, context.CancellationToken);
            }
            else
            {
                http.Abort();
            }

            return;
        }

        if (method == McpMethods.ToolsCall && isSse)
        {
            context.SuppressResponseBody = true;
            PrepareStreaming(http);
            var id = gate.Message!.Id;
            await RelayObservingAsync(context, data =>
            {
                if (ResponseIds.Matches(data, id))
                {
                    gate.ObservedResult = ToolResultObserver.Classify(data);
                }
            });
        }
    }

    private async Task FilterJsonAsync(ResponseTransformContext context, GateRequestContext gate, ListKind kind, IListItemVisibility visibility, bool privateCache)
    {
        var http = context.HttpContext;
        using var body = await ReadBoundedAsync(context);
        if (body is null)
        {
            http.Abort();
            return;
        }

        // The filtered list is never longer than the upstream's (an unreadable one becomes a short error), and
        // carries the request's id so the client can match that error to its request.
        using var output = new PooledByteWriter(body.Length + 256);
        var outcome = ListResponseFilter.Filter(body.Span, kind, visibility, output, gate.Message!.Id, privateCache);
        RecordListed(gate, outcome);
        http.Response.ContentLength = output.WrittenCount;
        await http.Response.Body.WriteAsync(output.WrittenMemory, context.CancellationToken);
    }

    private void RecordListed(GateRequestContext gate, ListFilterOutcome outcome)
    {
        if (!outcome.IsListResult)
        {
            return;
        }

        if (outcome.Tools.Count > 0)
        {
            catalog.Observe(gate.Upstream.Alias, outcome.Tools);
        }

        audit.Post(GateAuditRecords.ListFiltered(gate, outcome.Hidden));
        metrics.ListFiltered(gate, outcome.Hidden.Count);
    }

    /// <summary>
    /// Relays an SSE stream unchanged, event by event, flushing each as it arrives, and shows each event's data to
    /// <paramref name="observe"/> (to note a call's outcome for the audit). Requests the upstream sends to the client on
    /// the way (sampling, elicitation) and notifications pass untouched, in order.
    /// </summary>
    private static async Task RelayObservingAsync(ResponseTransformContext context, SseDataObserver observe)
    {
        var http = context.HttpContext;
        await using var upstream = await context.ProxyResponse!.Content.ReadAsStreamAsync(http.RequestAborted);
        using var reader = new SseEventReader(upstream);
        while (await reader.ReadBorrowedAsync(http.RequestAborted) is { } sseEvent)
        {
            if (!sseEvent.Data.IsEmpty)
            {
                observe(sseEvent.Data.Span);
            }

            await http.Response.Body.WriteAsync(sseEvent.Raw, http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
    }

    private delegate void SseDataObserver(ReadOnlySpan<byte> data);

    /// <summary>No <c>Content-Encoding</c>, or only <c>identity</c>.</summary>
    private static bool HasIdentityEncoding(HttpContent content)
    {
        if (!content.Headers.NonValidated.TryGetValues("Content-Encoding", out var values))
        {
            return true;
        }

        foreach (var value in values)
        {
            foreach (var coding in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The media type of a single <c>Content-Type</c> value, read raw: the typed
    /// <c>Headers.ContentType</c> parses the whole value under a lock on every response.</summary>
    private static ReadOnlySpan<char> MediaTypeOf(HttpContent content)
    {
        if (!content.Headers.NonValidated.TryGetValues("Content-Type", out var values) || values.Count != 1)
        {
            return default;
        }

        foreach (var value in values)
        {
            var mediaType = value.AsSpan();
            var parameters = mediaType.IndexOf(';');
            return (parameters < 0 ? mediaType : mediaType[..parameters]).Trim();
        }

        return default;
    }

    private static void PrepareStreaming(HttpContext http)
    {
        http.Response.ContentLength = null;
        http.Response.Headers.ContentLength = default;
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private static async ValueTask<PooledBody?> ReadBoundedAsync(ResponseTransformContext context)
    {
        await using var stream = await context.ProxyResponse!.Content.ReadAsStreamAsync(context.CancellationToken);
        return await PooledBody.ReadAsync(stream, context.ProxyResponse.Content.Headers.ContentLength, MaxBufferedResponseBytes, context.CancellationToken);
    }
}
