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

    /// <summary>The path the MCP endpoint is mapped at.</summary>
    public string Path { get; init; } = "/mcp";

    /// <summary>Logging for the upstream host; by default it logs nothing.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
