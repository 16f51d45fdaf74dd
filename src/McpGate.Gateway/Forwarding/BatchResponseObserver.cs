using System.Text.Json;
using McpGate.Gateway.Inspection;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Gateway.Forwarding;

/// <summary>
/// Reads the answer to a forwarded batch (a JSON array of responses, or one response per SSE event) just far enough
/// to give each decided element the outcome its own response shows, matched by id. The inspector refused batches in
/// which two requests share an id, so a response can belong to one element only.
/// </summary>
internal static class BatchResponseObserver
{
    public static void Observe(ReadOnlySpan<byte> json, List<ForwardedCall> calls)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read())
            {
                return;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ObserveOne(json, calls);
                return;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                ObserveOne(json[start..(int)reader.BytesConsumed], calls);
            }
        }
        catch (JsonException)
        {
            // What could not be read leaves its elements to the exchange's own outcome.
        }
    }

    private static void ObserveOne(ReadOnlySpan<byte> response, List<ForwardedCall> calls)
    {
        foreach (var call in calls)
        {
            // As for a single message, only a tool call's outcome is read from its response; the others are
            // audited by the exchange's status.
            if (call.Message.Method == McpMethods.ToolsCall && call.Message.Kind == JsonRpcMessageKind.Request
                && ResponseIds.Matches(response, call.Message.Id))
            {
                call.ObservedResult = ToolResultObserver.Classify(response);
                return;
            }
        }
    }
}
