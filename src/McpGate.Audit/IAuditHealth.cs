namespace McpGate.Audit;

/// <summary>The audit log's state as <c>/readyz</c> reports it. Carries no record content.</summary>
public interface IAuditHealth
{
    /// <summary>Where lines go: the full file pattern, or <c>stdout</c>.</summary>
    string Destination { get; }

    /// <summary>Writes that failed since start (the same number as <see cref="IAuditLog.FailureCount"/>).</summary>
    long FailureCount { get; }

    /// <summary>When the last write failed; null if none has.</summary>
    DateTimeOffset? LastFailureAt { get; }

    /// <summary>True while the most recent write failed (cleared by the next successful write).</summary>
    bool IsFailing { get; }

    /// <summary>Records posted and not yet written (the queue the background writer drains); a gauge for metrics.</summary>
    int QueuedCount { get; }
}
