using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;

namespace McpGate.Fuzz.Targets;

/// <summary>A deterministic policy for the filter targets: a key is hidden when it contains <c>x</c> or <c>h</c>
/// (common enough that random inputs hit both cases), and a tool also when it says it is not read-only.</summary>
internal sealed class FuzzVisibility : IListItemVisibility
{
    public static readonly FuzzVisibility Instance = new();

    public static bool IsKeyVisible(string key) => !key.Contains('x', StringComparison.Ordinal) && !key.Contains('h', StringComparison.Ordinal);

    public bool IsToolVisible(ToolDescriptor tool) => IsKeyVisible(tool.Name) && tool.ReadOnlyHint != false;

    public bool IsPromptVisible(string name) => IsKeyVisible(name);

    public bool IsResourceVisible(string uri) => IsKeyVisible(uri);

    public bool IsResourceTemplateVisible(string uriTemplate) => IsKeyVisible(uriTemplate);
}
