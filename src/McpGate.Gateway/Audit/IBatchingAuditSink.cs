namespace McpGate.Gateway.Audit;

/// <summary>
/// A sink that can take several events under one flush. Between <see cref="BeginBatch"/> and
/// <see cref="EndBatch"/> its <c>Emit</c> formats into its buffer without flushing; <see cref="EndBatch"/> flushes
/// (and throws when that fails). A failed <c>Emit</c> or flush drops whatever the batch had not flushed yet.
/// </summary>
internal interface IBatchingAuditSink
{
    void BeginBatch();

    void EndBatch();
}
