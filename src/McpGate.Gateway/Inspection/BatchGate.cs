using System.Buffers;
using System.Globalization;
using System.Text.Json;
using McpGate.Audit;
using McpGate.Gateway.RateLimiting;
using McpGate.Gateway.Telemetry;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// The gate's steps for a JSON-RPC batch (docs/architecture.md): step 8 acts on <see cref="RequestDecider.DecideBatchAsync"/>
/// (rate limits, and when the batch may not go on, step 9: the gate answers every element itself), and step 12 audits
/// each decided element of a forwarded batch with the outcome its own response showed. Batches were removed from MCP in
/// 2025-06-18 but some servers still run them; kept apart from <see cref="McpGateMiddleware"/> so the single-message
/// path reads on its own.
/// </summary>
internal sealed class BatchGate(RequestDecider decider, GateRateLimiter rateLimiter, IAuditLog audit, GateMetrics metrics)
{
    /// <summary>
    /// Step 8 for a batch: a batch it may forward gets its decided elements in <see cref="GateRequestContext.Batch"/>;
    /// otherwise the gate answers every element itself and forwards nothing. Returns true when the batch may be forwarded.
    /// </summary>
    public async Task<bool> DecideAsync(HttpContext context, GateRequestContext gate, InspectionResult inspection)
    {
        var messages = inspection.Messages;
        var (decisions, mayForward) = await decider.DecideBatchAsync(gate.State.Config, gate.Upstream, gate.Identity, messages, context.RequestAborted);
        var settings = gate.State.Config.Gateway;

        // Each allowed element counts against gateway.rateLimits; the first one over a limit refuses the batch.
        var limitedIndex = -1;
        RateLimitRefusal? limited = null;
        for (var i = 0; mayForward && i < messages.Count; i++)
        {
            if (decisions[i] is { } decided && await rateLimiter.TryAcquireAsync(settings.RateLimits, gate.Identity, gate.State.Config.Evaluator, decided) is { } refusal)
            {
                (limitedIndex, limited, mayForward) = (i, refusal, false);
            }
        }

        if (mayForward)
        {
            var calls = new List<ForwardedCall>(messages.Count);
            for (var i = 0; i < messages.Count; i++)
            {
                if (decisions[i] is { } allowed)
                {
                    calls.Add(new ForwardedCall(messages[i], allowed, DecisionIds.New()));
                }
            }

            gate.Batch = calls;
            return true;
        }

        // :: Step 9 for a batch: every decided element is audited (flushed) before the caller hears of it.
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                if (decisions[i] is { IsAllowed: false } denied)
                {
                    var decisionId = DecisionIds.New();
                    audit.Write(GateAuditRecords.ForDecision(gate, message, denied, decisionId, AuditResults.CapabilityDenied, 0, null));
                    metrics.Decided(denied, message.Method, AuditResults.CapabilityDenied);
                    if (message.Kind == JsonRpcMessageKind.Request)
                    {
                        JsonRpcResponses.WriteDenial(writer, settings, message.Id, denied, decisionId);
                    }
                }
                else if (i == limitedIndex && decisions[i] is { } overLimit)
                {
                    var decisionId = DecisionIds.New();
                    audit.Write(GateAuditRecords.ForDecision(gate, message, overLimit, decisionId, AuditResults.RateLimited, 0, null, limited!.Rule.Name));
                    metrics.Decided(overLimit, message.Method, AuditResults.RateLimited);
                    if (message.Kind == JsonRpcMessageKind.Request)
                    {
                        JsonRpcResponses.WriteRateLimited(writer, message.Id, overLimit, decisionId, limited.Rule.Name, limited.RetryAfterSeconds);
                    }
                }
                else
                {
                    if (decisions[i] is { } allowed)
                    {
                        // Allowed, yet not run: its row says so, so the log holds every call the caller asked for.
                        audit.Write(GateAuditRecords.ForDecision(gate, message, allowed, DecisionIds.New(), AuditResults.BatchRefused, 0, null));
                        metrics.Decided(allowed, message.Method, AuditResults.BatchRefused);
                    }

                    if (message.Kind == JsonRpcMessageKind.Request)
                    {
                        JsonRpcResponses.WriteError(writer, message.Id, JsonRpcResponses.InvalidRequest, "batch_refused", "the batch holds a denied call or a request the gate must answer alone; nothing was forwarded, send each message in its own POST");
                    }
                }

                Measure(context, gate, message, decisions[i], i == limitedIndex ? AuditResults.RateLimited
                    : decisions[i] is { IsAllowed: false } ? AuditResults.CapabilityDenied : AuditResults.BatchRefused);
            }

            writer.WriteEndArray();
        }

        gate.Result = AuditResults.BatchRefused;
        audit.Write(GateAuditRecords.Rejected(gate, null, AuditResults.BatchRefused));
        if (limited is not null)
        {
            context.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        await JsonRpcResponses.WriteAsync(context, limited is null ? StatusCodes.Status200OK : StatusCodes.Status429TooManyRequests, buffer.WrittenMemory);
        return false;
    }

    /// <summary>
    /// Step 12 for a forwarded batch: one audit row per decided element, with its own outcome (what its response showed,
    /// else the exchange's: <paramref name="failed"/> is an upstream error), and each request or notification of
    /// <paramref name="messages"/> measured as the MCP operation it is.
    /// </summary>
    public void Completed(HttpContext context, GateRequestContext gate, IReadOnlyList<InspectedMessage> messages, List<ForwardedCall> batch, bool failed)
    {
        // The decided elements are in body order, so one pass pairs each message with its call, if it has one.
        var next = 0;
        foreach (var message in messages)
        {
            var call = next < batch.Count && ReferenceEquals(batch[next].Message, message) ? batch[next++] : null;
            var result = call?.ObservedResult ?? (failed ? AuditResults.UpstreamError : AuditResults.Ok);
            if (call is not null)
            {
                audit.Post(GateAuditRecords.ForDecision(gate, message, call.Decision, call.DecisionId, result, gate.ElapsedMilliseconds, gate.UpstreamStatus));
                metrics.Decided(call.Decision, message.Method, result);
            }

            Measure(context, gate, message, call?.Decision, result);
        }

        gate.Result = failed ? AuditResults.UpstreamError : AuditResults.Ok;
    }

    /// <summary>
    /// <c>mcp.server.operation.duration</c> per element, as for a message sent alone: the semantic conventions measure
    /// each MCP request and notification, whatever HTTP request carried it. Every element of a batch took the whole
    /// exchange (the caller gets all the answers at once), so each records that. A response (to a server's request)
    /// is no operation.
    /// </summary>
    private void Measure(HttpContext context, GateRequestContext gate, InspectedMessage message, Decision? decision, string result)
    {
        if (message.Kind != JsonRpcMessageKind.Response)
        {
            metrics.Completed(context, gate, message, decision, result);
        }
    }
}
