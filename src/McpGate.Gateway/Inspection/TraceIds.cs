using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace McpGate.Gateway.Inspection;

/// <summary>The trace id an audit record carries: the current Activity's, else the caller's W3C <c>traceparent</c>, else a new one.</summary>
internal static class TraceIds
{
    public static string For(HttpContext context)
    {
        if (Activity.Current is { } activity)
        {
            return activity.TraceId.ToHexString();
        }

        // Honour a caller's W3C traceparent even when no tracing listener created an Activity.
        var traceparent = context.Request.Headers["traceparent"].ToString();
        if (ActivityContext.TryParse(traceparent, null, out var parsed))
        {
            return parsed.TraceId.ToHexString();
        }

        return ActivityTraceId.CreateRandom().ToHexString();
    }
}
