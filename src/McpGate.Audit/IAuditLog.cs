namespace McpGate.Audit;

/// <summary>
/// The audit trail, in one order: every record lands in the log in the order it was handed over, whichever of the
/// two methods took it. Neither throws: a failing sink is reported on the console and counted
/// (<see cref="FailureCount"/>, shown by <c>/readyz</c>), and the caller's response is unchanged.
/// </summary>
public interface IAuditLog
{
    /// <summary>Returns once the line (and every line posted before it) is handed to the sink and flushed, so a
    /// caller that writes a denial before answering has made it durable first.</summary>
    void Write(AuditRecord record);

    /// <summary>Returns at once; a background writer writes the line, batched with its neighbours under one flush,
    /// within about 10 ms. Lines still queued are written before the log closes at graceful shutdown.
    /// For records the caller does not have to prove written before it answers: allowed calls, filtered lists.</summary>
    void Post(AuditRecord record);

    long FailureCount { get; }
}
