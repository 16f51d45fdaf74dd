using McpGate.Policy.Classification;

namespace McpGate.Analysis.Snapshots;

/// <summary>
/// What is known of one upstream: its tools (what classification needs), and, from a snapshot, the names of its
/// prompts and the URIs of its resources and resource templates. A null list means "not known" (live tool discovery
/// does not list prompts or resources), which is not the same as "the upstream has none".
/// </summary>
public sealed record UpstreamSurface(
    string Server,
    IReadOnlyList<ToolDescriptor> Tools,
    IReadOnlyList<string>? Prompts = null,
    IReadOnlyList<string>? Resources = null,
    IReadOnlyList<string>? ResourceTemplates = null)
{
    public ToolDescriptor? FindTool(string name)
    {
        foreach (var tool in Tools)
        {
            if (string.Equals(tool.Name, name, StringComparison.Ordinal))
            {
                return tool;
            }
        }

        return null;
    }
}

/// <summary>A loaded <c>mcp acl snapshot</c> file: each recorded upstream's surface, by alias.</summary>
public sealed class ToolsSnapshot
{
    public required string SourcePath { get; init; }

    public required IReadOnlyDictionary<string, UpstreamSurface> Servers { get; init; }
}

/// <summary>
/// The snapshot file's names (docs/policy-ci.md). Written by <c>mcp acl snapshot</c>, read by
/// <see cref="ToolsSnapshotReader"/>: one list, so the two cannot drift.
/// </summary>
public static class SnapshotFields
{
    public const string FormatVersionName = "mcpgate_snapshot";
    public const int FormatVersion = 1;
    public const string Servers = "servers";
    public const string ServerName = "server_name";
    public const string ProtocolVersion = "protocol_version";
    public const string Tools = "tools";
    public const string Prompts = "prompts";
    public const string Resources = "resources";
    public const string ResourceTemplates = "resource_templates";
    public const string Name = "name";
    public const string Title = "title";
    public const string Description = "description";
    public const string Annotations = "annotations";
    public const string InputSchema = "input_schema";
    public const string Arguments = "arguments";
    public const string Required = "required";
    public const string Uri = "uri";
    public const string UriTemplate = "uri_template";
    public const string MimeType = "mime_type";
    public const string ReadOnlyHint = "readOnlyHint";
    public const string DestructiveHint = "destructiveHint";
}
