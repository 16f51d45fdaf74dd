using McpGate.Mcp.JsonRpc;

namespace McpGate.Mcp.Lists;

/// <summary>The paginated lists whose items the gate hides (docs/architecture.md step 11).</summary>
public enum ListKind
{
    /// <summary><c>tools/list</c> → <c>result.tools[].name</c>.</summary>
    Tools,

    /// <summary><c>prompts/list</c> → <c>result.prompts[].name</c>.</summary>
    Prompts,

    /// <summary><c>resources/list</c> → <c>result.resources[].uri</c>.</summary>
    Resources,

    /// <summary><c>resources/templates/list</c> → <c>result.resourceTemplates[].uriTemplate</c>.</summary>
    ResourceTemplates,
}

public static class ListKinds
{
    /// <summary>The list a method returns; false for every other method.</summary>
    public static bool TryFromMethod(string? method, out ListKind kind)
    {
        switch (method)
        {
            case McpMethods.ToolsList:
                kind = ListKind.Tools;
                return true;
            case McpMethods.PromptsList:
                kind = ListKind.Prompts;
                return true;
            case McpMethods.ResourcesList:
                kind = ListKind.Resources;
                return true;
            case McpMethods.ResourcesTemplatesList:
                kind = ListKind.ResourceTemplates;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>The method that returns this list.</summary>
    public static string Method(this ListKind kind) => kind switch
    {
        ListKind.Tools => McpMethods.ToolsList,
        ListKind.Prompts => McpMethods.PromptsList,
        ListKind.Resources => McpMethods.ResourcesList,
        _ => McpMethods.ResourcesTemplatesList,
    };

    /// <summary>The member of <c>result</c> that holds the items.</summary>
    public static string ArrayMemberName(this ListKind kind) => kind switch
    {
        ListKind.Tools => "tools",
        ListKind.Prompts => "prompts",
        ListKind.Resources => "resources",
        _ => "resourceTemplates",
    };

    /// <summary>The member of an item that identifies it (what <see cref="ListFilterOutcome.Hidden"/> lists).</summary>
    public static string ItemKeyName(this ListKind kind) => kind switch
    {
        ListKind.Tools or ListKind.Prompts => "name",
        ListKind.Resources => "uri",
        _ => "uriTemplate",
    };
}
