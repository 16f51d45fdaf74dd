using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// The trace a request belongs to: the id its audit records carry and the <c>traceparent</c> the upstream receives, so
/// a log line, a trace and an upstream's own logs join on one id. Works with no tracing listener too, without an
/// <see cref="Activity"/>.
/// </summary>
internal static class TraceIds
{
    /// <summary>The current span's trace id, else the caller's W3C <c>traceparent</c>'s, else a new one.</summary>
    public static string For(HttpContext context, out ActivityTraceFlags flags)
    {
        if (Activity.Current is { } activity)
        {
            flags = activity.ActivityTraceFlags;
            return activity.TraceId.ToHexString();
        }

        // Honour a caller's W3C traceparent even when no tracing listener created an Activity.
        if (ActivityContext.TryParse(context.Request.Headers.TraceParent.ToString(), null, out var parsed))
        {
            flags = parsed.TraceFlags;
            return parsed.TraceId.ToHexString();
        }

        flags = ActivityTraceFlags.None;
        return ActivityTraceId.CreateRandom().ToHexString();
    }

    /// <summary>
    /// The <c>traceparent</c> the upstream receives: the current span's when tracing made one, else one in the request's
    /// trace (<paramref name="traceId"/>) with a new span id for the gate's hop: one string, no Activity.
    /// </summary>
    public static string TraceParent(string traceId, ActivityTraceFlags flags)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            return id;
        }

        return string.Create(55, (traceId, flags), static (chars, state) =>
        {
            "00-".CopyTo(chars);
            state.traceId.CopyTo(chars[3..]);
            chars[35] = '-';
            Span<byte> spanId = stackalloc byte[8];
            do
            {
                Random.Shared.NextBytes(spanId);
            }
            while (BitConverter.ToUInt64(spanId) == 0); // all zeros is W3C's invalid span id
            Convert.TryToHexStringLower(spanId, chars[36..52], out _);
            chars[52] = '-';
            chars[53] = '0';
            chars[54] = (state.flags & ActivityTraceFlags.Recorded) != 0 ? '1' : '0';
        });
    }
}
