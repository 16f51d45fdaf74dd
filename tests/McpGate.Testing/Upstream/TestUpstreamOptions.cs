using Microsoft.Extensions.Logging;

namespace McpGate.Testing;

public sealed class TestUpstreamOptions
{
    public UpstreamEra Era { get; init; } = UpstreamEra.Both;

    /// <summary>When set, <c>tools/list</c> returns pages of this many tools, linked by <c>nextCursor</c>.</summary>
    public int? ToolsPageSize { get; init; }

    /// <summary>Tools served after the default set.</summary>
    public IReadOnlyList<TestTool>? ExtraTools { get; init; }

    /// <summary>When false, only <see cref="ExtraTools"/> are served (no default tools).</summary>
    public bool IncludeDefaultTools { get; init; } = true;

    /// <summary>The <c>serverInfo.name</c> the upstream reports.</summary>
    public string ServerName { get; init; } = "mcpgate-test-upstream";

    /// <summary>
    /// Answer POSTs with <c>application/json</c> instead of the SDK's <c>text/event-stream</c> whenever the stream would
    /// hold only the response. Not for 2025-era calls of ask_user or summarize_with_llm (their server-to-client
    /// request needs a live stream).
    /// </summary>
    public bool JsonResponses { get; init; }

    /// <summary>
    /// Keep an in-memory SSE event store, as a resumable server does: every 2025-11-25 stream, the standalone GET
    /// included, starts with a priming event, and clients may resume with <c>Last-Event-ID</c>. The listen stream's
    /// priming event is what <see cref="UpstreamSpy.WaitForListenStreamAsync"/> waits for.
    /// </summary>
    public bool Resumable { get; init; }

    /// <summary>The path the MCP endpoint is mapped at.</summary>
    public string Path { get; init; } = "/mcp";

    /// <summary>Logging for the upstream host; by default it logs nothing.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
