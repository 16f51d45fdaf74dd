using System.Buffers;
using System.Text.Json;

namespace McpGate.Bench;

/// <summary>
/// A deterministic, realistic-looking tool catalog (half read verbs, half write verbs, descriptions, input
/// schemas, some annotations) shared by the load bench's upstream and the micro benchmarks, so both measure
/// the same shapes.
/// </summary>
internal static class ToolCatalogJson
{
    private static readonly string[] s_verbs = ["get", "list", "search", "describe", "create", "update", "delete", "run"];

    private static readonly string[] s_nouns =
    [
        "issue", "repo", "branch", "commit", "pull_request", "dashboard", "panel", "alert", "query", "table",
        "job", "cluster", "notebook", "secret", "user", "team", "project", "release", "deployment", "incident",
        "event", "metric", "log_stream", "bucket", "webhook",
    ];

    /// <summary>The name of tool number <paramref name="index"/> (e.g. <c>get_issue</c>, <c>delete_repo</c>).</summary>
    public static string ToolName(int index)
    {
        var combos = s_verbs.Length * s_nouns.Length;
        var verb = s_verbs[index % s_verbs.Length];
        var noun = s_nouns[index / s_verbs.Length % s_nouns.Length];
        var round = index / combos;
        return round == 0 ? $"{verb}_{noun}" : $"{verb}_{noun}_{round}";
    }

    /// <summary>True for the tools a read-only grant covers (their verb is a read verb).</summary>
    public static bool IsReadTool(int index) => index % s_verbs.Length < 4;

    /// <summary>The <c>result</c> object of a <c>tools/list</c> response with <paramref name="count"/> tools.</summary>
    public static byte[] ListResult(int count)
    {
        var buffer = new ArrayBufferWriter<byte>(count * 400);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("tools");
            for (var i = 0; i < count; i++)
            {
                WriteTool(writer, i);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A complete JSON-RPC response to <c>tools/list</c> (id 1) with <paramref name="count"/> tools.</summary>
    public static byte[] ListResponse(int count, string id = "1")
    {
        var result = ListResult(count);
        var prefix = "{\"jsonrpc\":\"2.0\",\"id\":"u8.ToArray();
        var idBytes = System.Text.Encoding.UTF8.GetBytes(id);
        var middle = ",\"result\":"u8.ToArray();
        return [.. prefix, .. idBytes, .. middle, .. result, (byte)'}'];
    }

    private static void WriteTool(Utf8JsonWriter writer, int index)
    {
        var verbIndex = index % s_verbs.Length;
        var noun = s_nouns[index / s_verbs.Length % s_nouns.Length].Replace('_', ' ');
        writer.WriteStartObject();
        writer.WriteString("name", ToolName(index));
        writer.WriteString("title", $"{s_verbs[verbIndex]} {noun}");
        writer.WriteString("description", verbIndex switch
        {
            0 => $"Returns the {noun} with the given id, including its metadata and current state.",
            1 => $"Lists {noun} items visible to the caller, newest first, one page at a time.",
            2 => $"Searches {noun} items by free text and returns the best matches.",
            3 => $"Describes the {noun} in detail: owners, settings and recent activity.",
            4 => $"Creates a new {noun} from the given fields.",
            5 => $"Updates fields of an existing {noun}.",
            6 => $"Deletes the {noun} permanently.",
            _ => $"Runs the {noun} now and waits for it to finish.",
        });
        writer.WriteStartObject("inputSchema");
        writer.WriteString("type", "object");
        writer.WriteStartObject("properties");
        writer.WriteStartObject("id");
        writer.WriteString("type", "string");
        writer.WriteString("description", $"The {noun} id.");
        writer.WriteEndObject();
        writer.WriteStartObject(verbIndex < 4 ? "limit" : "payload");
        writer.WriteString("type", verbIndex < 4 ? "integer" : "object");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("required");
        writer.WriteStringValue("id");
        writer.WriteEndArray();
        writer.WriteEndObject();
        if (index % 3 == 0)
        {
            writer.WriteStartObject("annotations");
            writer.WriteBoolean("readOnlyHint", verbIndex < 4);
            if (verbIndex == 6)
            {
                writer.WriteBoolean("destructiveHint", true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
