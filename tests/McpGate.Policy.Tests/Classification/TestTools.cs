using McpGate.Policy.Classification;
using McpGate.Policy.Globbing;

namespace McpGate.Policy.Tests.Classification;

internal static class TestTools
{
    public static ToolDescriptor Tool(
        string name,
        string? description = null,
        string[]? properties = null,
        bool? readOnlyHint = null,
        bool? destructiveHint = null) =>
        new(name, description, properties ?? [], readOnlyHint, destructiveHint);

    public static ToolAclOverrides Overrides(string[]? read = null, string[]? write = null) =>
        new(new GlobList(read ?? []), new GlobList(write ?? []));
}
