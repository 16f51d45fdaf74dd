using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Commands.Acl;

/// <summary>One <c>mcp acl check</c> invocation, as parsed and validated.</summary>
internal sealed record AclCheckRequest
{
    public string? ConfigPath { get; init; }

    public string? Subject { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary><c>--token</c>: the token itself, <c>@FILE</c> or <c>-</c> (stdin), as given.</summary>
    public string? Token { get; init; }

    public required string Server { get; init; }

    /// <summary>Null for <c>--all-tools</c>.</summary>
    public TargetKind? TargetKind { get; init; }

    /// <summary>The tool name, resource URI or prompt name; null for <c>--all-tools</c>.</summary>
    public string? Target { get; init; }

    public AccessKind? Access { get; init; }

    public bool Json { get; init; }

    public bool Offline { get; init; }

    public double? TimeoutSeconds { get; init; }

    /// <summary><c>--tools-snapshot</c>: tools from this file instead of live discovery.</summary>
    public string? ToolsSnapshotPath { get; init; }

    public bool AllTools => TargetKind is null;
}
