using McpGate.Policy.Globbing;

namespace McpGate.Policy.Classification;

/// <summary>
/// A server's <c>tool_acl</c>: operator globs that override every other classification signal.
/// </summary>
public sealed class ToolAclOverrides
{
    public static readonly ToolAclOverrides None = new(GlobList.Empty, GlobList.Empty);

    public ToolAclOverrides(GlobList read, GlobList write)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(write);
        Read = read;
        Write = write;
    }

    public GlobList Read { get; }

    public GlobList Write { get; }

    public bool IsEmpty => Read.Count == 0 && Write.Count == 0;
}
