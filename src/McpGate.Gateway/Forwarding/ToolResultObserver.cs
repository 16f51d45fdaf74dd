using System.Text.Json;
using McpGate.Audit;

namespace McpGate.Gateway.Forwarding;

/// <summary>Reads a <c>tools/call</c> response just far enough to audit its outcome: ok, or a tool error.</summary>
internal static class ToolResultObserver
{
    public static string Classify(ReadOnlySpan<byte> response)
    {
        try
        {
            var reader = new Utf8JsonReader(response, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return AuditResults.UpstreamError;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    return AuditResults.ToolError;
                }

                if (reader.ValueTextEquals("result"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.StartObject && ResultIsError(ref reader) ? AuditResults.ToolError : AuditResults.Ok;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return AuditResults.UpstreamError;
    }

    private static bool ResultIsError(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("isError"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.True;
            }
        }

        return false;
    }
}
