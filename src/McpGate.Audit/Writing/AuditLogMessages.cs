using Microsoft.Extensions.Logging;

namespace McpGate.Audit.Writing;

/// <summary>
/// The audit log's own diagnostics (console). They name an audit line only by its event and decision id: the
/// line's content belongs in the audit log, not in a second, less protected place.
/// </summary>
internal static partial class AuditLogMessages
{
    [LoggerMessage(EventId = 4001, EventName = "AuditLogOpened", Level = LogLevel.Information,
        Message = "Audit log: {Destination} (retaining {RetainedFiles} daily files)")]
    public static partial void AuditLogOpened(this ILogger logger, string destination, string retainedFiles);

    [LoggerMessage(EventId = 4002, EventName = "AuditWriteFailed", Level = LogLevel.Error,
        Message = "Audit record {AuditEvent} {DecisionId} was NOT written to {Destination} ({FailureCount} failed writes so far); the request was answered as decided")]
    public static partial void AuditWriteFailed(this ILogger logger, string auditEvent, string? decisionId, string destination, long failureCount, Exception exception);

    [LoggerMessage(EventId = 4003, EventName = "AuditWriteRecovered", Level = LogLevel.Warning,
        Message = "Audit log {Destination} is writable again after {FailureCount} failed writes in total")]
    public static partial void AuditWriteRecovered(this ILogger logger, string destination, long failureCount);

    [LoggerMessage(EventId = 4004, EventName = "AuditRetentionFailed", Level = LogLevel.Warning,
        Message = "Audit log retention could not delete old files in {Directory}; retried at the next roll")]
    public static partial void AuditRetentionFailed(this ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 4005, EventName = "AuditCloseFailed", Level = LogLevel.Warning,
        Message = "Audit log {Destination} did not close cleanly")]
    public static partial void AuditCloseFailed(this ILogger logger, string destination, Exception exception);
}
