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

    /// <summary>Set for a stdio upstream (not proxied yet); null for a <c>url</c> upstream.</summary>
    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The server's <c>tool_acl</c> classification overrides.</summary>
    public ToolAclOverrides ToolAcl { get; init; } = ToolAclOverrides.None;
}
