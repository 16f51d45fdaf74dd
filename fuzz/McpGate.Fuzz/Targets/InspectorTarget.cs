using System.Text.Json;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Fuzz.Targets;

/// <summary>
/// <see cref="JsonRpcInspector.Inspect"/> on arbitrary bytes. Never throws; a result is a failure or at least one
/// message; every decided message has its target; an accepted body parses as JSON and its first <c>method</c> member
/// is the method the inspector read (so a parser that keeps the first duplicate cannot read another call).
/// </summary>
internal static class InspectorTarget
{
    public static void Run(byte[] input)
    {
        var result = JsonRpcInspector.Inspect(input);
        if (result.Failure is not null)
        {
            if (result.Messages.Count != 0)
            {
                throw new InvariantBroken("a failed inspection returned messages");
            }

            return;
        }

        if (result.Messages.Count == 0)
        {
            throw new InvariantBroken("an accepted body has no message");
        }

        foreach (var message in result.Messages)
        {
            switch (message.Method)
            {
                case McpMethods.ToolsCall or McpMethods.PromptsGet when message.Name is null:
                    throw new InvariantBroken(message.Method + " accepted without a name");
                case McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe when message.Uri is null:
                    throw new InvariantBroken(message.Method + " accepted without a uri");
                default:
                    break;
            }
        }

        using var document = JsonDocument.Parse(input, new JsonDocumentOptions { MaxDepth = 256 });
        var root = document.RootElement;
        var elements = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : new List<JsonElement> { root };
        if (elements.Count != result.Messages.Count)
        {
            throw new InvariantBroken($"{result.Messages.Count} messages inspected, {elements.Count} in the body");
        }

        for (var i = 0; i < elements.Count; i++)
        {
            var inspected = result.Messages[i];
            foreach (var member in elements[i].EnumerateObject())
            {
                if (member.NameEquals("method"))
                {
                    if (member.Value.ValueKind != JsonValueKind.String || member.Value.GetString() != inspected.Method)
                    {
                        throw new InvariantBroken($"method {inspected.Method} inspected, {member.Value.GetRawText()} in the body");
                    }

                    if (member.Value.GetString() is McpMethods.ToolsCall && FirstString(elements[i], "params", "name") != inspected.Name)
                    {
                        throw new InvariantBroken($"tools/call {inspected.Name} inspected, {FirstString(elements[i], "params", "name")} in the body");
                    }

                    break;
                }
            }
        }
    }

    private static string? FirstString(JsonElement message, string outer, string inner)
    {
        foreach (var member in message.EnumerateObject())
        {
            if (member.NameEquals(outer) && member.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var nested in member.Value.EnumerateObject())
                {
                    if (nested.NameEquals(inner))
                    {
                        return nested.Value.ValueKind == JsonValueKind.String ? nested.Value.GetString() : null;
                    }
                }

                return null;
            }
        }

        return null;
    }
}
