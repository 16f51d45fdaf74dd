using System.Text.Json;
using McpGate.Mcp.Lists;

namespace McpGate.Fuzz.Targets;

/// <summary>
/// What a client would see in a filtered list response, read the way JavaScript's <c>JSON.parse</c> and
/// System.Text.Json read it (the last duplicate wins): no item the caller may not see is in any list.
/// </summary>
internal static class ListChecks
{
    /// <summary>Throws when a response object in <paramref name="json"/> (for <paramref name="requestId"/>, if given) lists a hidden item.</summary>
    public static void NoHiddenItem(JsonElement json, ListKind kind, JsonElement? requestId)
    {
        if (json.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in json.EnumerateArray())
            {
                NoHiddenItemInMessage(element, kind, requestId);
            }
        }
        else
        {
            NoHiddenItemInMessage(json, kind, requestId);
        }
    }

    private static void NoHiddenItemInMessage(JsonElement message, ListKind kind, JsonElement? requestId)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (requestId is { } expected && !IdMatches(message, expected))
        {
            return;
        }

        var arrayName = kind.ArrayMemberName();
        var keyName = kind.ItemKeyName();
        foreach (var member in message.EnumerateObject())
        {
            if (!member.NameEquals("result") || member.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var list in member.Value.EnumerateObject())
            {
                if (!list.NameEquals(arrayName) || list.Value.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var item in list.Value.EnumerateArray())
                {
                    CheckItem(item, kind, keyName);
                }
            }
        }
    }

    private static void CheckItem(JsonElement item, ListKind kind, string keyName)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new InvariantBroken($"a non-object item passed: {item.GetRawText()}");
        }

        string? key = null;
        var keys = 0;
        bool? readOnly = null;
        foreach (var member in item.EnumerateObject())
        {
            if (member.NameEquals(keyName))
            {
                keys++;
                key = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : null;
            }
            else if (kind == ListKind.Tools && member.NameEquals("annotations") && member.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var hint in member.Value.EnumerateObject())
                {
                    if (hint.NameEquals("readOnlyHint"))
                    {
                        readOnly = hint.Value.ValueKind switch
                        {
                            JsonValueKind.True => true,
                            JsonValueKind.False => false,
                            _ => null,
                        };
                    }
                }
            }
        }

        if (keys != 1 || key is null)
        {
            throw new InvariantBroken($"an item without exactly one string {keyName} passed: {item.GetRawText()}");
        }

        if (!FuzzVisibility.IsKeyVisible(key) || (kind == ListKind.Tools && readOnly == false))
        {
            throw new InvariantBroken($"hidden item {key} passed");
        }
    }

    private static bool IdMatches(JsonElement message, JsonElement expected)
    {
        var matched = false;
        foreach (var member in message.EnumerateObject())
        {
            if (member.NameEquals("id"))
            {
                // Last one wins, as a client parser reads it.
                matched = (member.Value.ValueKind, expected.ValueKind) switch
                {
                    (JsonValueKind.Number, JsonValueKind.Number) => member.Value.TryGetDecimal(out var a) && expected.TryGetDecimal(out var b) && a == b,
                    (JsonValueKind.String, JsonValueKind.String) => member.Value.GetString() == expected.GetString(),
                    _ => false,
                };
            }
        }

        return matched;
    }
}
