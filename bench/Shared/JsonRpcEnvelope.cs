using System.Buffers;
using System.Text.Json;

namespace McpGate.Bench;

/// <summary>
/// What the bench's canned upstreams need from a JSON-RPC message: which method it is and its raw <c>id</c>, read with
/// one <see cref="Utf8JsonReader"/> pass and no allocation, so that the upstream stays cheap next to what fronts it.
/// </summary>
internal static class JsonRpcEnvelope
{
    /// <summary>The longest raw id (quotes included) copied; a longer one is treated as absent.</summary>
    public const int MaxIdBytes = 256;

    /// <summary>Finds the top-level <c>method</c> and copies the raw <c>id</c> token (quotes kept) into <paramref name="id"/>.</summary>
    public static (McpMethod Method, int IdLength) Read(ReadOnlySequence<byte> body, byte[] id)
    {
        var method = McpMethod.Other;
        var hasMethod = false;
        var idLength = 0;
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    hasMethod = true;
                    method = Classify(ref reader);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    idLength = CopyId(ref reader, id);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return (McpMethod.Other, 0);
        }

        // A body with no method is a response to a server request: accepted like a notification.
        if (!hasMethod || (idLength == 0 && method != McpMethod.Other))
        {
            return (McpMethod.Notification, 0);
        }

        return (method, idLength);
    }

    private static McpMethod Classify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("tools/call"u8))
        {
            return McpMethod.ToolsCall;
        }

        if (reader.ValueTextEquals("tools/list"u8))
        {
            return McpMethod.ToolsList;
        }

        if (reader.ValueTextEquals("initialize"u8))
        {
            return McpMethod.Initialize;
        }

        if (reader.ValueTextEquals("server/discover"u8))
        {
            return McpMethod.Discover;
        }

        if (reader.ValueTextEquals("ping"u8))
        {
            return McpMethod.Ping;
        }

        return reader.ValueTextEquals("notifications/initialized"u8) ? McpMethod.Notification : McpMethod.Other;
    }

    private static int CopyId(ref Utf8JsonReader reader, byte[] id)
    {
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        var quoted = reader.TokenType == JsonTokenType.String;
        var length = raw.Length + (quoted ? 2 : 0);
        if (length > id.Length || reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            return 0;
        }

        var position = 0;
        if (quoted)
        {
            id[position++] = (byte)'"';
        }

        raw.CopyTo(id.AsSpan(position));
        position += raw.Length;
        if (quoted)
        {
            id[position++] = (byte)'"';
        }

        return position;
    }
}

internal enum McpMethod
{
    Other,
    Notification,
    Initialize,
    Discover,
    ToolsList,
    ToolsCall,
    Ping,
}
