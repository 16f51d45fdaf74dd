using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Stdio;

/// <summary>The stdio bridge's diagnostic messages (event ids 5xx). A child's stderr goes here, never to the audit log.</summary>
internal static partial class StdioLog
{
    [LoggerMessage(500, LogLevel.Information, "stdio '{Server}': started process {ProcessId} ({Command})", EventName = "StdioStarted")]
    public static partial void Started(this ILogger logger, string server, int processId, string command);

    [LoggerMessage(501, LogLevel.Warning, "stdio '{Server}': process {ProcessId} exited with code {ExitCode}; {InFlight} request(s) in flight failed", EventName = "StdioExited")]
    public static partial void Exited(this ILogger logger, string server, int processId, int exitCode, int inFlight);

    [LoggerMessage(502, LogLevel.Information, "stdio '{Server}' stderr: {Line}", EventName = "StdioStderr")]
    public static partial void Stderr(this ILogger logger, string server, string line);

    [LoggerMessage(503, LogLevel.Warning, "stdio '{Server}': dropped a line that is not one JSON-RPC message ({Reason})", EventName = "StdioLineDropped")]
    public static partial void LineDropped(this ILogger logger, string server, string reason);

    [LoggerMessage(504, LogLevel.Error, "stdio '{Server}': could not start: {Cause}", EventName = "StdioStartFailed")]
    public static partial void StartFailed(this ILogger logger, string server, string cause);

    [LoggerMessage(505, LogLevel.Warning, "stdio '{Server}': refused a server-to-client request '{Method}': {Reason}", EventName = "StdioServerRequestRefused")]
    public static partial void ServerRequestRefused(this ILogger logger, string server, string method, string reason);

    [LoggerMessage(506, LogLevel.Information, "stdio '{Server}': stopped process {ProcessId} ({How})", EventName = "StdioStopped")]
    public static partial void Stopped(this ILogger logger, string server, int processId, string how);

    [LoggerMessage(507, LogLevel.Information, "stdio '{Server}': ended idle session ({Sessions} left)", EventName = "StdioSessionReaped")]
    public static partial void SessionReaped(this ILogger logger, string server, int sessions);
}
