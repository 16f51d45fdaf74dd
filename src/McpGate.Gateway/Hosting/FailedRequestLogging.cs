using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Hosting;

/// <summary>
/// One diagnostics line per request that failed on the gate's side (a 5xx, or an exception leaving the pipeline), with
/// the message and properties Serilog.AspNetCore's request logging writes (<c>RequestMethod</c>, <c>RequestPath</c>,
/// <c>StatusCode</c>, <c>Elapsed</c>), so log queries keep working. Serilog's middleware did this until it was measured:
/// it opens an ambient diagnostic context (an AsyncLocal write, so every later await restores a non-default
/// ExecutionContext) on every request, even those it then logs at Debug, which cost about 5 % CPU per tools/call
/// (docs/performance.md, "Fixed in the seventh pass"). Successful requests are the audit log's job, not this one's.
/// </summary>
internal sealed partial class FailedRequestLogging(RequestDelegate next, ILogger<FailedRequestLogging> logger, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (Exception exception) when (LogThrown(context, started, exception))
        {
            throw; // unreachable: the filter logs and declines, so the exception keeps its original stack
        }

        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            RequestFailed(logger, null, context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, time.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private bool LogThrown(HttpContext context, long started, Exception exception)
    {
        RequestFailed(logger, exception, context.Request.Method, context.Request.Path.Value, StatusCodes.Status500InternalServerError, time.GetElapsedTime(started).TotalMilliseconds);
        return false;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms")]
    private static partial void RequestFailed(ILogger logger, Exception? exception, string requestMethod, string? requestPath, int statusCode, double elapsed);
}
