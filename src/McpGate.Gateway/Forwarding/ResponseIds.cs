using System.Text;
using System.Text.Json;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Gateway.Forwarding;

internal static class ResponseIds
{
    /// <summary>True when <paramref name="json"/> is a JSON-RPC response (no <c>method</c>) whose id is <paramref name="id"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> json, JsonRpcId id)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var matched = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    return false;
                }

                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    matched = reader.TokenType switch
                    {
                        JsonTokenType.Number => JsonRpcId.TryParse(Encoding.UTF8.GetString(reader.ValueSpan), out var number) && number.Equals(id),
                        JsonTokenType.String => JsonRpcId.FromString(reader.GetString()!).Equals(id),
                        _ => false,
                    };
                }
                else
                {
                    reader.Skip();
                }
            }

            return matched;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
