using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Lists;

/// <summary>What one scan of a list response found: the items kept, the regions to rewrite, what was hidden.</summary>
public static partial class ListResponseFilter
{
    internal readonly record struct ItemRange(int Start, int End);

    /// <summary>
    /// A stretch of the message written differently: an item array with items left out, or (<see cref="Literal"/>) a
    /// value replaced or, where <see cref="Start"/> equals <see cref="End"/>, a member inserted.
    /// </summary>
    internal readonly record struct ArrayRegion(int Start, int End, int FirstKept, int KeptCount, bool HasHidden, byte[]? Literal = null)
    {
        public static ArrayRegion Replace(int start, int end, byte[] literal) => new(start, end, 0, 0, HasHidden: false, literal);
    }

    internal sealed class ListScan
    {
        private static readonly byte[] s_tools = "tools"u8.ToArray();
        private static readonly byte[] s_prompts = "prompts"u8.ToArray();
        private static readonly byte[] s_resources = "resources"u8.ToArray();
        private static readonly byte[] s_resourceTemplates = "resourceTemplates"u8.ToArray();
        private static readonly byte[] s_name = "name"u8.ToArray();
        private static readonly byte[] s_uri = "uri"u8.ToArray();
        private static readonly byte[] s_uriTemplate = "uriTemplate"u8.ToArray();

        private const int BytesPerItemGuess = 256;
        private const int MaxReservedItems = 16 * 1024;

        private List<string>? _hidden;
        private int _itemCapacity;
        private List<ToolDescriptor>? _tools;
        private List<JsonRpcId>? _responseIds;

        public ListScan(ListKind kind, IListItemVisibility visibility)
        {
            Kind = kind;
            Visibility = visibility;
            ArrayName = ArrayNameUtf8(kind);
            KeyName = KeyNameUtf8(kind);
        }

        public ListKind Kind { get; }

        public IListItemVisibility Visibility { get; }

        public byte[] ArrayName { get; }

        public byte[] KeyName { get; }

        public bool IsList { get; set; }

        public bool IsMalformed { get; set; }

        public bool AnyHidden { get; set; }

        public static readonly byte[] PrivateValue = "\"private\""u8.ToArray();
        public static readonly byte[] PrivateMember = "\"cacheScope\":\"private\""u8.ToArray();
        public static readonly byte[] PrivateMemberAfterOthers = ",\"cacheScope\":\"private\""u8.ToArray();

        /// <summary>Add <c>cacheScope: "private"</c> to a list result that lacks it.</summary>
        public bool PrivateCache { get; init; }

        /// <summary>The message cannot be passed on as it came: items are hidden or a cache hint is rewritten.</summary>
        public bool NeedsRewrite => AnyHidden || Regions.Exists(static region => region.Literal is not null);

        public List<ItemRange> Kept { get; } = [];

        public List<ArrayRegion> Regions { get; } = [];

        public IReadOnlyList<JsonRpcId> ResponseIds => (IReadOnlyList<JsonRpcId>?)_responseIds ?? [];

        public void AddHidden(string key) => (_hidden ??= new List<string>(_itemCapacity / 2)).Add(key);

        public void AddTool(ToolDescriptor tool) => (_tools ??= new List<ToolDescriptor>(_itemCapacity)).Add(tool);

        /// <summary>
        /// Sizes the item lists for an array of about <paramref name="arrayBytes"/> bytes, so a large list does not
        /// grow them by doubling. The guess assumes items of a few hundred bytes (a tool with a description and a
        /// small schema): smaller items grow the lists as before, larger ones waste at most a few percent of the
        /// message's size.
        /// </summary>
        public void ReserveItems(int arrayBytes)
        {
            if (_itemCapacity > 0)
            {
                return;
            }

            _itemCapacity = Math.Clamp(arrayBytes / BytesPerItemGuess, 4, MaxReservedItems);
            Kept.EnsureCapacity(_itemCapacity);
        }

        public void AddResponseId(JsonRpcId id) => (_responseIds ??= []).Add(id);

        public bool HasResponseId(JsonRpcId id)
        {
            if (_responseIds is null)
            {
                return false;
            }

            foreach (var candidate in _responseIds)
            {
                if (candidate == id)
                {
                    return true;
                }
            }

            return false;
        }

        public ListFilterOutcome ToOutcome() => new(
            Kind,
            IsList && !IsMalformed,
            IsMalformed,
            IsMalformed ? 0 : Kept.Count,
            IsMalformed ? [] : (IReadOnlyList<string>?)_hidden ?? [],
            IsMalformed ? [] : (IReadOnlyList<ToolDescriptor>?)_tools ?? [],
            ResponseIds);

        private static byte[] ArrayNameUtf8(ListKind kind) => kind switch
        {
            ListKind.Tools => s_tools,
            ListKind.Prompts => s_prompts,
            ListKind.Resources => s_resources,
            _ => s_resourceTemplates,
        };

        private static byte[] KeyNameUtf8(ListKind kind) => kind switch
        {
            ListKind.Tools or ListKind.Prompts => s_name,
            ListKind.Resources => s_uri,
            _ => s_uriTemplate,
        };
    }
}
