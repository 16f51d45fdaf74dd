using McpGate.Mcp.Buffers;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Sse;

namespace McpGate.Mcp.Lists;

/// <summary>
/// Copies an SSE response to a list request from the upstream to the client, rewriting the data of every event that
/// carries a list result (docs/architecture.md step 11), whatever its id. Every other event (priming, comments, retry,
/// notifications, server requests, other responses) is written byte for byte, in order, and each event is flushed as
/// soon as it is complete, so progress and keep-alives are never held back.
/// </summary>
public static class SseListFilter
{
    /// <param name="upstream">The upstream's <c>text/event-stream</c> body.</param>
    /// <param name="client">Where the client's response body goes.</param>
    /// <param name="requestId">The list request's id, for the error that replaces an unreadable event.</param>
    /// <param name="kind">The list that was requested.</param>
    /// <param name="visibility">Decides which items stay.</param>
    /// <param name="onFiltered">
    /// Called before the event is written: for every list result (also when nothing was hidden),
    /// and for an event whose data could not be read as JSON, which is replaced by a JSON-RPC error for
    /// <paramref name="requestId"/> (<see cref="ListFilterOutcome.IsMalformed"/>).
    /// </param>
    /// <param name="privateCache">Add <c>cacheScope: "private"</c> to a list result that lacks it (2026-07-28).</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    public static async Task CopyAsync(
        Stream upstream,
        Stream client,
        JsonRpcId requestId,
        ListKind kind,
        IListItemVisibility visibility,
        Func<ListFilterOutcome, ValueTask>? onFiltered,
        bool privateCache,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(visibility);

        using var reader = new SseEventReader(upstream);

        // Borrowed events point into the reader's buffer: each is fully written before the next read.
        while (await reader.ReadBorrowedAsync(cancellationToken) is { } sseEvent)
        {
            PooledByteWriter? rewritten = null;
            try
            {
                var output = sseEvent.Raw;
                if (IsJsonMessage(sseEvent))
                {
                    // Every list-shaped event is filtered, whatever its id says. Matching on the id alone let a list
                    // through whenever the gate and a peer read the id differently (a number past 2^53 that a
                    // JavaScript upstream echoes rounded, an escaped string): filtering never depends on that reading.
                    var scan = ListResponseFilter.Scan(sseEvent.Data.Span, kind, visibility, privateCache);
                    if (scan.IsMalformed || scan.IsList)
                    {
                        if (onFiltered is not null)
                        {
                            await onFiltered(scan.ToOutcome());
                        }

                        if (scan.IsMalformed || scan.NeedsRewrite)
                        {
                            rewritten = Rewrite(sseEvent, scan, requestId);
                            output = rewritten.WrittenMemory;
                        }
                    }
                }

                await client.WriteAsync(output, cancellationToken);
                await client.FlushAsync(cancellationToken);
            }
            finally
            {
                rewritten?.Dispose();
            }
        }
    }

    /// <summary>The event with its data filtered, in pooled buffers sized from the event (filtering only shrinks it).</summary>
    private static PooledByteWriter Rewrite(SseEvent sseEvent, ListResponseFilter.ListScan scan, JsonRpcId requestId)
    {
        using var data = new PooledByteWriter(sseEvent.Data.Length);
        ListResponseFilter.WriteOutput(sseEvent.Data.Span, scan, requestId, data);
        var rewritten = new PooledByteWriter(sseEvent.Raw.Length + 64);
        try
        {
            SseWriter.WriteWithData(rewritten, sseEvent, data.WrittenSpan);
            return rewritten;
        }
        catch
        {
            rewritten.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An event with data that is not blank (a priming event's empty data is not a message). An unterminated last
    /// event is looked at too: whether a client drops it is up to its SSE parser.
    /// </summary>
    private static bool IsJsonMessage(SseEvent sseEvent) =>
        sseEvent.HasData && sseEvent.Data.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0;
}
