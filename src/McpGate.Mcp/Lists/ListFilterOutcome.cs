using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Lists;

/// <summary>What <see cref="ListResponseFilter"/> found and did.</summary>
public sealed class ListFilterOutcome
{
    internal ListFilterOutcome(
        ListKind kind,
        bool isListResult,
        bool isMalformed,
        int kept,
        IReadOnlyList<string> hidden,
        IReadOnlyList<ToolDescriptor> tools,
        IReadOnlyList<JsonRpcId> responseIds)
    {
        Kind = kind;
        IsListResult = isListResult;
        IsMalformed = isMalformed;
        Kept = kept;
        Hidden = hidden;
        Tools = tools;
        ResponseIds = responseIds;
    }

    public ListKind Kind { get; }

    /// <summary>The message held the list (<c>result.tools</c>, …), which was filtered.</summary>
    public bool IsListResult { get; }

    /// <summary>
    /// The message could not be read as JSON (invalid UTF-8 or syntax, too deep). It was not passed on: the output
    /// holds a JSON-RPC internal error (-32603) for the request instead, since a lenient client parser might still
    /// read a list we could not filter.
    /// </summary>
    public bool IsMalformed { get; }

    /// <summary>How many items were kept.</summary>
    public int Kept { get; }

    /// <summary>
    /// The items removed, by <see cref="ListKinds.ItemKeyName"/>, in list order. Items with no usable key (not an
    /// object, key missing, not a string, or given twice) are removed too and listed under the last key seen, if any.
    /// </summary>
    public IReadOnlyList<string> Hidden { get; }

    /// <summary>Every tool read from a <c>tools/list</c> result, visible or hidden, in list order.</summary>
    public IReadOnlyList<ToolDescriptor> Tools { get; }

    /// <summary>The <c>id</c> of every response object in the message.</summary>
    public IReadOnlyList<JsonRpcId> ResponseIds { get; }
}
