namespace McpGate.Gateway.Audit;

/// <summary>
/// The audit trail. <see cref="Write"/> returns once the line is handed to the sink and flushed, so a caller that
/// writes a denial before answering has made it durable first. It never throws: a failing sink is reported on the
/// console and counted (<see cref="FailureCount"/>, shown by <c>/readyz</c>), and the caller's response is unchanged.
/// </summary>
internal interface IAuditLog
{
    void Write(AuditRecord record);

    long FailureCount { get; }
}
