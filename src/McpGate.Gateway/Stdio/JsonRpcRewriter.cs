using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace McpGate.Gateway.Stdio;

/// <summary>What a message from the child has replaced: each is a raw JSON value, or null to keep the original.</summary>
internal readonly record struct JsonRpcReplacements(byte[]? Id = null, byte[]? ProgressToken = null, byte[]? CancelledRequestId = null);

/// <summary>
/// Re-writes one JSON-RPC message the child sent as a single line with its ids swapped: the request or response
/// <c>id</c>, the <c>progressToken</c> of <c>notifications/progress</c> and the <c>requestId</c> of
/// <c>notifications/cancelled</c>. Only the child's side: what a caller sends reaches the child as the bytes the gate
/// inspected (<see cref="CallerMessage"/>), never re-serialized.
/// </summary>
internal static class JsonRpcRewriter
{
    public static readonly JsonDocumentOptions StrictOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    // Strings that had to be unescaped are escaped again the way JSON itself needs (\" not \u0022, non-ASCII as UTF-8):
    // the default encoder's HTML-safe escaping made every answer longer and slower to write for no reader's benefit.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Rewrite(JsonElement message, in JsonRpcReplacements replacements)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            foreach (var property in message.EnumerateObject())
            {
                if (replacements.Id is { } id && property.NameEquals("id"))
                {
                    writer.WritePropertyName("id");
                    writer.WriteRawValue(id, skipInputValidation: true);
                }
                else if (property.NameEquals("params") && property.Value.ValueKind == JsonValueKind.Object
                    && (replacements.ProgressToken ?? replacements.CancelledRequestId) is not null)
                {
                    writer.WritePropertyName("params");
                    WriteParams(writer, property.Value, replacements);
                }
                else
                {
                    property.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A response carrying an error, as one line.</summary>
    public static byte[] Error(byte[] id, int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            writer.WriteRawValue(id, skipInputValidation: true);
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A successful response whose <c>result</c> is <paramref name="result"/> (raw JSON).</summary>
    public static byte[] Result(byte[] id, ReadOnlySpan<byte> result)
    {
        var buffer = new ArrayBufferWriter<byte>(result.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WritePropertyName("id");
            writer.WriteRawValue(id, skipInputValidation: true);
            writer.WritePropertyName("result");
            writer.WriteRawValue(result, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Raw(JsonElement value) => JsonSerializer.SerializeToUtf8Bytes(value);

    public static byte[] Raw(long value) => System.Text.Encoding.UTF8.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void WriteParams(Utf8JsonWriter writer, JsonElement parameters, in JsonRpcReplacements replacements)
    {
        writer.WriteStartObject();
        foreach (var property in parameters.EnumerateObject())
        {
            if (replacements.ProgressToken is { } token && property.NameEquals("progressToken"))
            {
                writer.WritePropertyName("progressToken");
                writer.WriteRawValue(token, skipInputValidation: true);
            }
            else if (replacements.CancelledRequestId is { } requestId && property.NameEquals("requestId"))
            {
                writer.WritePropertyName("requestId");
                writer.WriteRawValue(requestId, skipInputValidation: true);
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }
}
