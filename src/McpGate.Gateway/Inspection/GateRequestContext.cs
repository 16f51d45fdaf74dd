using System.Diagnostics;
using McpGate.Gateway.Configuration;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// What the gate learned about one request, handed from the inspection middleware to the response transform and
/// back. Everything downstream reads <see cref="State"/> so the whole exchange uses one policy version.
/// </summary>
internal sealed class GateRequestContext
{
    public required GateState State { get; init; }

    public required UpstreamConfig Upstream { get; init; }

    public required Identity Identity { get; init; }

    public required string TraceId { get; init; }

    /// <summary>The caller's (or the span's) sampling flag, passed on in the upstream's <c>traceparent</c>.</summary>
    public ActivityTraceFlags TraceFlags { get; init; }

    /// <summary>The gate's span for this request; null when no tracing listener is attached (the common case).</summary>
    public Activity? Activity { get; init; }

    /// <summary>The audit result the request ended with, for its span (null while undecided).</summary>
    public string? Result { get; set; }

    /// <summary>Stopwatch ticks the forward took (YARP's hand-off until the answer was relayed); 0 when not forwarded.</summary>
    public long UpstreamTicks { get; set; }

    /// <summary>This replica's name, for the audit's <c>gate_instance</c>.</summary>
    public required string Instance { get; init; }

    /// <summary>The <c>Mcp-Session-Id</c> the client sent, as sealed by the gate; the request now carries the upstream's.</summary>
    public string? SealedSessionId { get; set; }

    public long StartTimestamp { get; } = Stopwatch.GetTimestamp();

    /// <summary>The single message being forwarded (null for GET/DELETE and forwarded batches).</summary>
    public InspectedMessage? Message { get; set; }

    /// <summary>The decision that let <see cref="Message"/> through, when the method is one the ACL decides.</summary>
    public Decision? Decision { get; set; }

    public string? DecisionId { get; set; }

    /// <summary>The decided elements of a forwarded batch, each audited with its own outcome; null for a single message.</summary>
    public List<ForwardedCall>? Batch { get; set; }

    /// <summary>The request body the gate inspected and forwards (POST only); owned by the middleware.</summary>
    public PooledBody? InspectedBody { get; set; }

    /// <summary>The inspector's reading of <see cref="InspectedBody"/>: what was decided on, for the stdio bridge to pass on.</summary>
    public InspectionResult? Inspection { get; set; }

    /// <summary>Set when the response is a list the caller must see filtered.</summary>
    public ListKind? ListKind { get; set; }

    /// <summary>The HTTP status the upstream answered with (the caller may get another, e.g. 502 for a 5xx); null when none came.</summary>
    public int? UpstreamStatus { get; set; }

    /// <summary>The audit <c>result</c> the response transform observed in the upstream's answer.</summary>
    public string? ObservedResult { get; set; }

    public double ElapsedMilliseconds => Stopwatch.GetElapsedTime(StartTimestamp).TotalMilliseconds;
}

/// <summary>One decided element of a forwarded batch: what was allowed, and what its response showed.</summary>
internal sealed class ForwardedCall(InspectedMessage message, Decision decision, string decisionId)
{
    public InspectedMessage Message { get; } = message;

    public Decision Decision { get; } = decision;

    public string DecisionId { get; } = decisionId;

    /// <summary>The audit <c>result</c> its own response showed; null until (or unless) one came.</summary>
    public string? ObservedResult { get; set; }
}
