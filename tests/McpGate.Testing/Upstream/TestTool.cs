using System.Text.Json;

namespace McpGate.Testing;

/// <summary>
/// An extra tool for a <see cref="TestUpstream"/>, described exactly as it will appear in <c>tools/list</c>.
/// Hints left <c>null</c> are not sent; with both <c>null</c> the tool has no <c>annotations</c> object at all.
/// </summary>
public sealed record TestTool(string Name)
{
    public string? Description { get; init; }

    public bool? ReadOnlyHint { get; init; }

    public bool? DestructiveHint { get; init; }

    /// <summary>Names of the string properties of the tool's <c>inputSchema</c>.</summary>
    public IReadOnlyList<string> InputProperties { get; init; } = [];

    /// <summary>Produces the text result from the call's arguments; by default the tool echoes its name.</summary>
    public Func<IReadOnlyDictionary<string, JsonElement>, string>? Respond { get; init; }
}
