using System.Diagnostics;
using McpGate.Audit;
using McpGate.Gateway.Authentication;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Forwarding;
using McpGate.Gateway.Hosting;
using McpGate.Gateway.RateLimiting;
using McpGate.Gateway.Sessions;
using McpGate.Gateway.Telemetry;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// The gate: runs inside YARP's proxy pipeline, before the forwarder, and decides each MCP request before the
/// upstream can execute anything. The steps are numbered as in docs/architecture.md, in the order they run:
/// <code>
///   client ──► [1 route] ─► [2 snapshot] ─► [3 authenticate] ─► [4 Origin/Host] ─► [5 session bound to subject?]
///          GET/DELETE ─────────────────────────────────────────────────────────────► [10 forward]
///          POST ─► [6 encoding, UTF-8 JSON type, size cap] ─► [7 strict parse, mirrored headers] ─► [8 decide each message]
///                     denied ─► [9 audit (flushed), then deny envelope]       (upstream sees nothing)
///                     allowed ─► [10 forward exactly the inspected bytes] ─► [11 list filter / result observation in
///                                GateResponseTransform] ─► [12 audit the outcome (queued, written behind)]
/// </code>
/// A batch's steps 8, 9 and 12 are <see cref="BatchGate"/>'s; the decisions themselves <see cref="RequestDecider"/>'s.
/// </summary>
internal sealed class McpGateMiddleware(
    RequestDelegate next,
    GateStateStore store,
    SessionSealer sessions,
    RequestDecider decider,
    BatchGate batches,
    GateRateLimiter rateLimiter,
    IAuditLog audit,
    GateMetrics metrics,
    GatewayRuntime runtime,
    OAuthValidators oauth,
    IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext context)
    {
        // :: Step 2: one snapshot of the policy for the whole exchange (step 1, routing, chose this route's alias).
        var state = store.Current;
        var metadata = context.GetReverseProxyFeature().Route.Config.Metadata;
        if (metadata is null
            || !metadata.TryGetValue(ProxyConfigFactory.AliasMetadataKey, out var alias)
            || !state.Config.Servers.TryGetValue(alias, out var upstream))
        {
            // The route outlived a reload that removed its upstream.
            return GatewayEndpoints.WriteUnknownServerAsync(context);
        }

        // The request's span exists only when a tracing listener is attached: without one, no Activity and no
        // state machine for it (the hosting Activity is off too, see GatewayApplication).
        var activity = GateTracing.StartRequest(context);
        return activity is null ? InvokeCoreAsync(context, state, upstream, null) : InvokeTracedAsync(context, state, upstream, activity);
    }

    private async Task InvokeTracedAsync(HttpContext context, GateState state, UpstreamConfig upstream, Activity activity)
    {
        Exception? failure = null;
        try
        {
            await InvokeCoreAsync(context, state, upstream, activity);
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            GateTracing.Complete(activity, context, failure);
            activity.Dispose();
        }
    }

    // Not async: each outcome hands back the task of the step that finishes the request, so the common path
    // allocates no state machine of its own.
    private Task InvokeCoreAsync(HttpContext context, GateState state, UpstreamConfig upstream, Activity? activity)
    {
        // The span's trace when there is one (it continued the caller's), else the caller's traceparent's, else new.
        var traceId = TraceIds.For(context, out var traceFlags);

        // :: Step 3: authenticate with the provider chain (awaits only to verify a new OAuth token).
        var pending = CallerAuthenticator.AuthenticateAsync(context, state.Config.Auth, oauth, upstream.Alias);
        return pending.IsCompletedSuccessfully
            ? InvokeAuthenticatedAsync(context, state, upstream, traceId, traceFlags, activity, pending.Result)
            : AwaitAuthenticationAsync(context, state, upstream, traceId, traceFlags, activity, pending);
    }

    private async Task AwaitAuthenticationAsync(
        HttpContext context, GateState state, UpstreamConfig upstream, string traceId, ActivityTraceFlags traceFlags, Activity? activity, ValueTask<AuthOutcome> pending) =>
        await InvokeAuthenticatedAsync(context, state, upstream, traceId, traceFlags, activity, await pending);

    private Task InvokeAuthenticatedAsync(
        HttpContext context, GateState state, UpstreamConfig upstream, string traceId, ActivityTraceFlags traceFlags, Activity? activity, AuthOutcome outcome)
    {
        if (outcome.Identity is not { } identity)
        {
            var refused = outcome.OAuth;
            audit.Write(GateAuditRecords.AuthFailed(traceId, upstream.Alias, runtime.Instance, refused?.Error, refused?.Issuer, refused?.ClientId));
            return OAuthChallenge.WriteAsync(context, state.Config.Auth, upstream.Alias, refused);
        }

        var gate = new GateRequestContext { State = state, Upstream = upstream, Identity = identity, TraceId = traceId, TraceFlags = traceFlags, Activity = activity, Instance = runtime.Instance };
        context.Features.Set(gate);

        // :: Step 4: DNS-rebinding defence.
        if (!RequestGuards.IsOriginAllowed(context.Request, state.Config.Gateway) || !RequestGuards.IsHostAllowed(context.Request, runtime.LoopbackOnly))
        {
            gate.Result = AuditResults.InvalidRequest;
            audit.Write(GateAuditRecords.Rejected(gate, null, AuditResults.InvalidRequest));
            return JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, default, JsonRpcResponses.InvalidRequest, "forbidden_origin");
        }

        // :: Step 5: a session id must be one the gate sealed for this upstream and this subject; the upstream is
        // given its own id back, never the sealed one.
        var sessionIds = context.Request.Headers[McpHeaders.SessionId];
        if (sessionIds.Count > 0)
        {
            var sealedId = sessionIds.Count == 1 ? sessionIds[0] : null;
            if (sealedId is not { Length: > 0 } || sessions.Open(sealedId) is not { } session || !session.IsBoundTo(upstream.Alias, identity))
            {
                gate.Result = AuditResults.UnknownSession;
                audit.Write(GateAuditRecords.Rejected(gate, null, AuditResults.UnknownSession));
                return JsonRpcResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, default, JsonRpcResponses.SessionNotFound, "Session not found");
            }

            gate.SealedSessionId = sealedId;
            context.Request.Headers[McpHeaders.SessionId] = session.UpstreamSessionId;
        }

        if (HttpMethods.IsPost(context.Request.Method))
        {
            return InvokePostAsync(context, gate);
        }

        // GET and DELETE are forwarded uninspected, so they may not carry a body an upstream could act on.
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            return RejectAsync(context, gate, StatusCodes.Status400BadRequest, JsonRpcResponses.InvalidRequest, "GET and DELETE requests carry no body");
        }

        return HttpMethods.IsGet(context.Request.Method) ? ForwardListenStreamAsync(context, gate) : ForwardAsync(context, gate);
    }

    private async Task ForwardListenStreamAsync(HttpContext context, GateRequestContext gate)
    {
        // The listen stream may stay open for hours; shutdown must not wait for it to end on its own.
        using var stopping = lifetime.ApplicationStopping.Register(static c => ((HttpContext)c!).Abort(), context);
        await ForwardAsync(context, gate);
    }

    private async Task InvokePostAsync(HttpContext context, GateRequestContext gate)
    {
        var request = context.Request;
        var settings = gate.State.Config.Gateway;

        // :: Step 6: only identity-encoded UTF-8 JSON, and never more than the cap.
        if (!RequestGuards.HasIdentityEncoding(request))
        {
            await RejectAsync(context, gate, StatusCodes.Status415UnsupportedMediaType, JsonRpcResponses.InvalidRequest, "Content-Encoding is not supported; send an identity-encoded body");
            return;
        }

        if (!RequestGuards.IsUtf8JsonContentType(request))
        {
            await RejectAsync(context, gate, StatusCodes.Status415UnsupportedMediaType, JsonRpcResponses.InvalidRequest, "Content-Type must be application/json, with no parameter but charset=utf-8");
            return;
        }

        if (request.ContentLength > settings.MaxRequestBytes)
        {
            await RejectAsync(context, gate, StatusCodes.Status413PayloadTooLarge, JsonRpcResponses.InvalidRequest, "request body too large");
            return;
        }

        using var body = await PooledBody.ReadAsync(request.Body, request.ContentLength, settings.MaxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            await RejectAsync(context, gate, StatusCodes.Status413PayloadTooLarge, JsonRpcResponses.InvalidRequest, "request body too large");
            return;
        }

        // :: Step 7: strict parse; method and target are read after unescaping.
        var inspection = JsonRpcInspector.Inspect(body.Span);
        if (inspection.Failure is { } failure)
        {
            await RejectAsync(context, gate, StatusCodes.Status400BadRequest, failure.Code, failure.Message);
            return;
        }

        if (!MirroredHeadersAgree(request, inspection))
        {
            await RejectAsync(context, gate, StatusCodes.Status400BadRequest, JsonRpcResponses.HeaderMismatch, "Mcp-Method / Mcp-Name headers do not match the body");
            return;
        }

        // :: Step 8: decide every message.
        if (inspection.IsBatch)
        {
            if (!await batches.DecideAsync(context, gate, inspection))
            {
                return;
            }
        }
        else
        {
            var message = inspection.Messages[0];
            gate.Message = message;
            if (await decider.DecideAsync(gate.State.Config, gate.Upstream, gate.Identity, message, context.RequestAborted) is { } decision)
            {
                var decisionId = DecisionIds.New();
                if (!decision.IsAllowed)
                {
                    // :: Step 9: the denial is durable before the caller hears of it; the upstream never sees the call.
                    audit.Write(GateAuditRecords.ForDecision(gate, message, decision, decisionId, AuditResults.CapabilityDenied, 0, null));
                    Answered(context, gate, message, decision, decisionId, AuditResults.CapabilityDenied);
                    await JsonRpcResponses.WriteDenialAsync(context, settings, message.Id, decision, decisionId);
                    return;
                }

                // Allowed, so now it counts against gateway.rateLimits: a denied call consumed no budget.
                if (await rateLimiter.TryAcquireAsync(settings.RateLimits, gate.Identity, gate.State.Config.Evaluator, decision) is { } limited)
                {
                    audit.Write(GateAuditRecords.ForDecision(gate, message, decision, decisionId, AuditResults.RateLimited, 0, null, limited.Rule.Name));
                    Answered(context, gate, message, decision, decisionId, AuditResults.RateLimited);
                    await JsonRpcResponses.WriteRateLimitedAsync(context, message.Id, decision, decisionId, limited.Rule.Name, limited.RetryAfterSeconds);
                    return;
                }

                gate.Decision = decision;
                gate.DecisionId = decisionId;
            }

            gate.ListKind = ListKinds.TryFromMethod(message.Method, out var listKind) ? listKind : null;
        }

        // :: Step 10: forward exactly the bytes that were inspected: InspectedBodyHandler sends them from this buffer
        // in one write with the headers, and the stream YARP would otherwise copy reads the same buffer. They were read
        // as UTF-8 JSON, and the upstream is told exactly that (no charset or parameter it could decode by instead).
        request.Body = body.AsStream();
        request.ContentLength = body.Length;
        request.ContentType = RequestGuards.CanonicalJsonContentType;
        gate.InspectedBody = body;
        gate.Inspection = inspection;
        request.Headers.Remove(HeaderNames.TransferEncoding);

        // The body is already here: an upstream's 100 Continue would only cost a round trip before it is sent.
        request.Headers.Remove(HeaderNames.Expect);

        // ForwardAsync's steps, inlined: one state machine per forwarded POST instead of two.
        var completed = false;
        var originalBody = BeginForwarding(context, gate);
        try
        {
            var forwardedAt = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                gate.UpstreamTicks = Stopwatch.GetTimestamp() - forwardedAt;
                context.Response.Body = originalBody;
            }

            await AnswerForwardingFailureAsync(context, gate);
            completed = true;
        }
        finally
        {
            // :: Step 12: audited even when forwarding ended in an exception (a stream cut off mid-response, a caller gone).
            var failed = !completed || context.Response.StatusCode >= 400 || context.GetForwarderErrorFeature() is not null;
            if (gate.Batch is { } batch)
            {
                // A batch is audited like the messages it holds: one row per decided element, with its own outcome.
                batches.Completed(context, gate, inspection.Messages, batch, failed);
            }
            else if (gate.Message is { } forwarded)
            {
                var result = gate.ObservedResult ?? (failed ? AuditResults.UpstreamError : AuditResults.Ok);
                if (gate.Decision is { } allowed)
                {
                    audit.Post(GateAuditRecords.ForDecision(gate, forwarded, allowed, gate.DecisionId!, result, gate.ElapsedMilliseconds, gate.UpstreamStatus));
                }

                Answered(context, gate, forwarded, gate.Decision, gate.DecisionId, result);
            }
        }
    }

    /// <summary>
    /// The single message a POST carried was answered (<paramref name="result"/>, an audit result): counts its decision,
    /// if the ACL made one, records its duration, and puts both on the request's span.
    /// </summary>
    private void Answered(HttpContext context, GateRequestContext gate, InspectedMessage message, Decision? decision, string? decisionId, string result)
    {
        gate.Result = result;
        if (decision is { } decided)
        {
            metrics.Decided(decided, message.Method, result);
            if (gate.Activity is { } activity)
            {
                GateTracing.Decided(activity, decided, decisionId!);
            }
        }

        metrics.Completed(context, gate, message, decision, result);
    }

    /// <summary>
    /// A GET or DELETE: hands it to YARP (without the client's credentials), answers a forwarding failure as JSON-RPC,
    /// and measures it at the HTTP level (it carries no MCP message to measure as an operation).
    /// </summary>
    private async Task ForwardAsync(HttpContext context, GateRequestContext gate)
    {
        try
        {
            var originalBody = BeginForwarding(context, gate);
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = originalBody;
            }

            await AnswerForwardingFailureAsync(context, gate);
        }
        finally
        {
            metrics.HttpRequestCompleted(context, gate);
        }
    }

    /// <summary>Returns the response body stream to put back once YARP is done.</summary>
    private static Stream BeginForwarding(HttpContext context, GateRequestContext gate)
    {
        // :: Step 10: the client's credentials never reach the upstream. Removed from the incoming request, before YARP
        // copies its headers, so they are never copied at all; the upstream's own headers are a request transform.
        GateRequestTransform.StripClientCredentials(context.Request.Headers, gate.State.Config.Auth);

        // The gate reads lists, tool results and event streams as they come: the upstream is asked for identity
        // encoding only, whatever the caller accepts (an encoded list the gate cannot read is refused, never passed on).
        context.Request.Headers.AcceptEncoding = "identity";

        // The response transform wraps the body to watch an SSE response for list_changed; the caller puts it back.
        return context.Response.Body;
    }

    /// <summary>YARP answers a peer it could not reach with a bare 502/504; the caller gets a JSON-RPC error it can read.</summary>
    private static Task AnswerForwardingFailureAsync(HttpContext context, GateRequestContext gate)
    {
        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return Task.CompletedTask;
        }

        var timedOut = failure.Error == Yarp.ReverseProxy.Forwarder.ForwarderError.RequestTimedOut;
        return JsonRpcResponses.WriteUpstreamFailureAsync(
            context,
            timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway,
            gate.Message?.Id ?? default,
            timedOut ? "upstream_timeout" : "upstream_unavailable",
            timedOut ? $"server '{gate.Upstream.Alias}' did not answer in time" : $"server '{gate.Upstream.Alias}' could not be reached");
    }

    /// <summary>2026-07-28 mirrors <c>method</c> and <c>params.name</c>/<c>uri</c> into headers; they must agree with the body.</summary>
    private static bool MirroredHeadersAgree(HttpRequest request, InspectionResult inspection)
    {
        var methodHeader = request.Headers[McpHeaders.Method];
        var nameHeader = request.Headers[McpHeaders.Name];
        if (methodHeader.Count == 0 && nameHeader.Count == 0)
        {
            return true;
        }

        if (inspection.IsBatch || methodHeader.Count > 1 || nameHeader.Count > 1)
        {
            return false;
        }

        var message = inspection.Messages[0];
        if (methodHeader.Count == 1 && !string.Equals(methodHeader[0], message.Method, StringComparison.Ordinal))
        {
            return false;
        }

        if (nameHeader.Count == 1)
        {
            var target = message.Method is McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe or McpMethods.ResourcesUnsubscribe ? message.Uri : message.Name;
            return string.Equals(nameHeader[0], target, StringComparison.Ordinal);
        }

        return true;
    }

    private Task RejectAsync(HttpContext context, GateRequestContext gate, int statusCode, int code, string message)
    {
        gate.Result = AuditResults.InvalidRequest;
        audit.Write(GateAuditRecords.Rejected(gate, null, AuditResults.InvalidRequest));
        return JsonRpcResponses.WriteErrorAsync(context, statusCode, default, code, message);
    }
}
