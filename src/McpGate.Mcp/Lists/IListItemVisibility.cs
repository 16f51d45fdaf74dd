using McpGate.Policy.Classification;

namespace McpGate.Mcp.Lists;

/// <summary>Whether the caller may see one list item; what is not visible is removed from the list.</summary>
public interface IListItemVisibility
{
    bool IsToolVisible(ToolDescriptor tool);

    bool IsPromptVisible(string name);

    bool IsResourceVisible(string uri);

    bool IsResourceTemplateVisible(string uriTemplate);

    /// <summary>Where the scan may find and leave the tools of this upstream it has seen before; null: build each.</summary>
    ToolDescriptorMemo? ToolDescriptors => null;
}
