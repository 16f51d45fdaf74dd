using System.Text.Json;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Lists;

// The tools half of the scan: what a tool entry says (name, description, input property names, hints), read into
// the descriptor the policy decides on.
public static partial class ListResponseFilter
{
    private static bool ScanTool(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ListScan scan)
    {
        // A tool whose entry is byte for byte one seen before is not read again: its descriptor is remembered.
        var memo = scan.Visibility.ToolDescriptors;
        var entry = default(ReadOnlySpan<byte>);
        if (memo is not null)
        {
            var end = reader;
            end.Skip();
            entry = json[(int)reader.TokenStartIndex..(int)end.BytesConsumed];
            if (memo.TryGet(entry, out var known))
            {
                reader = end;
                return Decide(known, valid: true, scan);
            }
        }

        string? name = null;
        string? description = null;
        List<string>? properties = null;
        bool? readOnlyHint = null;
        bool? destructiveHint = null;
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                if (name is not null || reader.TokenType != JsonTokenType.String)
                {
                    valid = false;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    name = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("description"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    description = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("inputSchema"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    properties = ReadPropertyNames(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("annotations"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadHints(ref reader, ref readOnlyHint, ref destructiveHint);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (name is null)
        {
            return false;
        }

        var tool = new ToolDescriptor(name, description, (IReadOnlyList<string>?)properties ?? [], readOnlyHint, destructiveHint);
        if (valid)
        {
            memo?.Add(entry, tool);
        }

        return Decide(tool, valid, scan);
    }

    private static bool Decide(ToolDescriptor tool, bool valid, ListScan scan)
    {
        scan.AddTool(tool);
        var visible = valid && scan.Visibility.IsToolVisible(tool);
        if (!visible)
        {
            scan.AddHidden(tool.Name);
        }

        return visible;
    }

    /// <summary>Top-level names of <c>inputSchema.properties</c>; the reader starts and ends on the schema object.</summary>
    private static List<string>? ReadPropertyNames(ref Utf8JsonReader reader)
    {
        List<string>? names = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isProperties = reader.ValueTextEquals("properties"u8);
            reader.Read();
            if (!isProperties || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            names ??= [];
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                names.Add(reader.GetString()!);
                reader.Read();
                reader.Skip();
            }
        }

        return names;
    }

    private static void ReadHints(ref Utf8JsonReader reader, ref bool? readOnlyHint, ref bool? destructiveHint)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isReadOnly = reader.ValueTextEquals("readOnlyHint"u8);
            var isDestructive = !isReadOnly && reader.ValueTextEquals("destructiveHint"u8);
            reader.Read();
            bool? value = reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => null,
            };

            // The last one wins, as with JavaScript's JSON.parse.
            if (isReadOnly)
            {
                readOnlyHint = value;
            }
            else if (isDestructive)
            {
                destructiveHint = value;
            }

            reader.Skip();
        }
    }
}
