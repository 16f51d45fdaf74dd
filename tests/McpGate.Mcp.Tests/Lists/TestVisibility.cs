using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Tests.Lists;

/// <summary>Hides exactly the names, URIs and templates it is given, and records every tool it was asked about.</summary>
internal sealed class TestVisibility : IListItemVisibility
{
    private readonly HashSet<string> _hidden;

    public TestVisibility(params string[] hidden)
    {
        _hidden = new HashSet<string>(hidden, StringComparer.Ordinal);
    }

    public List<ToolDescriptor> AskedTools { get; } = [];

    public ToolDescriptorMemo? ToolDescriptors { get; init; }

    public bool IsToolVisible(ToolDescriptor tool)
    {
        AskedTools.Add(tool);
        return !_hidden.Contains(tool.Name);
    }

    public bool IsPromptVisible(string name) => !_hidden.Contains(name);

    public bool IsResourceVisible(string uri) => !_hidden.Contains(uri);

    public bool IsResourceTemplateVisible(string uriTemplate) => !_hidden.Contains(uriTemplate);
}
