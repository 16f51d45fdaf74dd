using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Configuration;

/// <summary>
/// A loaded, validated and pre-compiled <c>servers.json</c> (docs/acl.md, "The file at a glance"). Immutable: a reload
/// builds a new one and swaps it in whole, so a request is always decided under one version.
/// </summary>
public sealed class GateConfig
{
    public required string SourcePath { get; init; }

    /// <summary>Upstreams by alias (case-sensitive), in file order.</summary>
    public required IReadOnlyDictionary<string, UpstreamConfig> Servers { get; init; }

    public required AuthConfig Auth { get; init; }

    public required GatewaySettings Gateway { get; init; }

    /// <summary>The compiled ACL and the evaluator over it (docs/acl.md, "How a request is decided").</summary>
    public required PolicyEvaluator Evaluator { get; init; }
}

/// <summary>One <c>mcpServers</c> entry.</summary>
public sealed class UpstreamConfig
{
    public required string Alias { get; init; }

    /// <summary>Set for a Streamable HTTP upstream; null for a <c>command</c> upstream.</summary>
    public Uri? Url { get; init; }

    /// <summary>Headers the gate adds when forwarding (after <c>${VAR}</c> substitution).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Set for a stdio upstream (docs/stdio.md); null for a <c>url</c> upstream.</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The child's configured environment (after <c>${VAR}</c> substitution), on top of a minimal base.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The child's working directory; null: the gate's.</summary>
    public string? Cwd { get; init; }

    /// <summary>How the gate runs a stdio upstream's processes; null for a <c>url</c> upstream.</summary>
    public StdioSettings? Stdio { get; init; }

    /// <summary>The server's <c>tool_acl</c> classification overrides.</summary>
    public ToolAclOverrides ToolAcl { get; init; } = ToolAclOverrides.None;
}

/// <summary>How a stdio upstream's children are shared between MCP sessions (docs/stdio.md, "Sharing").</summary>
public enum StdioSharing
{
    /// <summary>One child for every session, initialized once; JSON-RPC ids rewritten per session.</summary>
    Shared,

    /// <summary>One child per MCP session, ended with the session.</summary>
    PerSession,
}

/// <summary>The <c>stdio</c> block of a <c>command</c> upstream, with its defaults.</summary>
public sealed class StdioSettings
{
    public static readonly StdioSettings Default = new();

    public StdioSharing Sharing { get; init; } = StdioSharing.Shared;

    /// <summary>A per-session child with no request for this long is ended (and its session with it).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many per-session children at once.</summary>
    public int MaxProcesses { get; init; } = 32;

    /// <summary>How long a child may take to start and answer <c>initialize</c>.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
