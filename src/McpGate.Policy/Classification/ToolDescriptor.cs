namespace McpGate.Policy.Classification;

/// <summary>
/// What the classifier may look at for one tool, as the upstream described it in <c>tools/list</c>.
/// Hints are <c>null</c> when the upstream did not send them.
/// </summary>
/// <param name="Name">The tool's name as the upstream names it.</param>
/// <param name="Description">The tool's description, if any.</param>
/// <param name="InputPropertyNames">Top-level property names of <c>inputSchema.properties</c>.</param>
/// <param name="ReadOnlyHint"><c>annotations.readOnlyHint</c>.</param>
/// <param name="DestructiveHint"><c>annotations.destructiveHint</c>.</param>
public sealed record ToolDescriptor(
    string Name,
    string? Description,
    IReadOnlyList<string> InputPropertyNames,
    bool? ReadOnlyHint,
    bool? DestructiveHint)
{
    /// <summary>A tool known by name only (offline checks, or a name the upstream never listed).</summary>
    public static ToolDescriptor NameOnly(string name) => new(name, null, [], null, null);
}
