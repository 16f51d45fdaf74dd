using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Lists;

/// <summary>
/// Removes the items a caller may not see from a <c>tools/list</c>, <c>prompts/list</c>, <c>resources/list</c> or
/// <c>resources/templates/list</c> response. The output is the input with only the item array rewritten: every other
/// byte (including <c>nextCursor</c>, <c>_meta</c>, whitespace) is copied unchanged, kept items are copied raw, and
/// when nothing is hidden the output is the input. Error responses and other results pass unchanged. Every
/// occurrence of the array is filtered (a duplicate <c>result</c> or <c>tools</c> member cannot smuggle items past),
/// and a batch of responses has each element filtered.
/// </summary>
public static partial class ListResponseFilter
{
    /// <summary>The JSON-RPC code written in place of a list response that could not be read.</summary>
    public const int MalformedErrorCode = -32603;

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        // Tool input schemas can nest; a response deeper than this is treated as malformed, never passed on.
        MaxDepth = 256,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>
    /// Filters <paramref name="jsonRpcResponse"/> into <paramref name="output"/>. <paramref name="requestId"/> is
    /// only used for the error written when the response cannot be read (see <see cref="ListFilterOutcome.IsMalformed"/>).
    /// A list result's <c>cacheScope</c> always becomes <c>"private"</c> (what the caller sees depends on who it is, so no
    /// shared cache may keep it); with <paramref name="privateCache"/> (a 2026-07-28 exchange, where the hint is
    /// required) it is added when the upstream left it out.
    /// </summary>
    public static ListFilterOutcome Filter(
        ReadOnlySpan<byte> jsonRpcResponse,
        ListKind kind,
        IListItemVisibility visibility,
        IBufferWriter<byte> output,
        JsonRpcId requestId = default,
        bool privateCache = false)
    {
        ArgumentNullException.ThrowIfNull(visibility);
        ArgumentNullException.ThrowIfNull(output);
        var scan = Scan(jsonRpcResponse, kind, visibility, privateCache);
        WriteOutput(jsonRpcResponse, scan, requestId, output);
        return scan.ToOutcome();
    }

    internal static ListScan Scan(ReadOnlySpan<byte> json, ListKind kind, IListItemVisibility visibility, bool privateCache = false)
    {
        var scan = new ListScan(kind, visibility) { PrivateCache = privateCache };
        if (!Utf8.IsValid(json))
        {
            scan.IsMalformed = true;
            return scan;
        }

        var reader = new Utf8JsonReader(json, s_readerOptions);
        try
        {
            if (!reader.Read())
            {
                scan.IsMalformed = true;
                return scan;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ScanMessage(ref reader, json, scan);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ScanMessage(ref reader, json, scan);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }

            if (reader.Read())
            {
                scan.IsMalformed = true;
            }
        }
        catch (JsonException)
        {
            scan.IsMalformed = true;
        }
        catch (InvalidOperationException)
        {
            scan.IsMalformed = true;
        }

        return scan;
    }

    internal static void WriteOutput(ReadOnlySpan<byte> json, ListScan scan, JsonRpcId requestId, IBufferWriter<byte> output)
    {
        if (scan.IsMalformed)
        {
            WriteMalformedError(requestId, output);
            return;
        }

        if (!scan.NeedsRewrite)
        {
            output.Write(json);
            return;
        }

        var position = 0;
        foreach (var region in scan.Regions)
        {
            output.Write(json[position..region.Start]);
            if (region.Literal is { } literal)
            {
                output.Write(literal);
            }
            else if (!region.HasHidden)
            {
                output.Write(json[region.Start..region.End]);
            }
            else
            {
                output.Write("["u8);
                for (var i = 0; i < region.KeptCount; i++)
                {
                    if (i > 0)
                    {
                        output.Write(","u8);
                    }

                    var item = scan.Kept[region.FirstKept + i];
                    output.Write(json[item.Start..item.End]);
                }

                output.Write("]"u8);
            }

            position = region.End;
        }

        output.Write(json[position..]);
    }

    private static void WriteMalformedError(JsonRpcId requestId, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        requestId.WriteTo(writer);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, MalformedErrorCode);
        writer.WriteString("message"u8, "upstream_list_unreadable"u8);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void ScanMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ListScan scan)
    {
        var id = default(JsonRpcId);
        var isResponse = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("result"u8))
            {
                isResponse = true;
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ScanResult(ref reader, json, scan);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                if (JsonRpcId.TryRead(ref reader, json, out var read))
                {
                    // A duplicate id is recorded too: matching any of them can only filter more.
                    if (id.IsPresent)
                    {
                        scan.AddResponseId(id);
                    }

                    id = read;
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                isResponse |= reader.ValueTextEquals("error"u8);
                reader.Read();
                reader.Skip();
            }
        }

        if (isResponse && id.IsPresent)
        {
            scan.AddResponseId(id);
        }
    }

    private static void ScanResult(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ListScan scan)
    {
        var arrayName = scan.ArrayName;
        var isList = false;
        var members = 0;
        var hasCacheScope = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            members++;
            var isItems = reader.ValueTextEquals(arrayName);
            var isCacheScope = !isItems && reader.ValueTextEquals("cacheScope"u8);
            reader.Read();
            if (isItems && reader.TokenType == JsonTokenType.StartArray)
            {
                isList = true;
                ScanItems(ref reader, json, scan);
            }
            else if (isCacheScope)
            {
                // Every copy of the member (a duplicate too) says private, so no reader of the result sees "public".
                hasCacheScope = true;
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (!json[start..(int)reader.BytesConsumed].SequenceEqual(ListScan.PrivateValue))
                {
                    scan.Regions.Add(ArrayRegion.Replace(start, (int)reader.BytesConsumed, ListScan.PrivateValue));
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (isList && !hasCacheScope && scan.PrivateCache)
        {
            var end = (int)reader.TokenStartIndex;
            scan.Regions.Add(ArrayRegion.Replace(end, end, members == 0 ? ListScan.PrivateMember : ListScan.PrivateMemberAfterOthers));
        }
    }

    private static void ScanItems(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ListScan scan)
    {
        scan.IsList = true;
        var start = (int)reader.TokenStartIndex;
        scan.ReserveItems(json.Length - start);
        var firstKept = scan.Kept.Count;
        var hasHidden = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var itemStart = (int)reader.TokenStartIndex;
            var visible = reader.TokenType == JsonTokenType.StartObject ? ScanItem(ref reader, json, scan) : SkipInvalidItem(ref reader);
            if (visible)
            {
                scan.Kept.Add(new ItemRange(itemStart, (int)reader.BytesConsumed));
            }
            else
            {
                hasHidden = true;
            }
        }

        var end = (int)reader.BytesConsumed;
        scan.AnyHidden |= hasHidden;
        scan.Regions.Add(new ArrayRegion(start, end, firstKept, scan.Kept.Count - firstKept, hasHidden));
    }

    private static bool SkipInvalidItem(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return false;
    }

    /// <summary>Reads one item object and asks whether it is visible. The reader ends on the item's EndObject.</summary>
    private static bool ScanItem(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ListScan scan)
    {
        if (scan.Kind == ListKind.Tools)
        {
            return ScanTool(ref reader, json, scan);
        }

        var keyName = scan.KeyName;
        string? key = null;
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isKey = reader.ValueTextEquals(keyName);
            reader.Read();
            if (!isKey)
            {
                reader.Skip();
                continue;
            }

            if (key is not null || reader.TokenType != JsonTokenType.String)
            {
                valid = false;
            }

            if (reader.TokenType == JsonTokenType.String)
            {
                key = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        var visible = valid && key is not null && scan.Kind switch
        {
            ListKind.Prompts => scan.Visibility.IsPromptVisible(key),
            ListKind.Resources => scan.Visibility.IsResourceVisible(key),
            _ => scan.Visibility.IsResourceTemplateVisible(key),
        };
        if (!visible && key is not null)
        {
            scan.AddHidden(key);
        }

        return visible;
    }
}
