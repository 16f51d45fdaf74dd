using System.Text.Json;

namespace McpGate.Gateway.Stdio;

/// <summary>What the bridge accepts from a child: one JSON-RPC 2.0 object, a request, a notification or a response.</summary>
internal static class ChildMessage
{
    public static string? Validate(JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return "not a JSON object";
        }

        if (!message.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
        {
            return "no \"jsonrpc\": \"2.0\"";
        }

        var hasId = message.TryGetProperty("id", out var id);
        if (hasId && id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return "an id that is neither a string nor a number";
        }

        if (message.TryGetProperty("method", out var method))
        {
            return method.ValueKind != JsonValueKind.String ? "a method that is not a string"
                : message.TryGetProperty("result", out _) || message.TryGetProperty("error", out _) ? "a request with a result or error" : null;
        }

        var hasResult = message.TryGetProperty("result", out _);
        var hasError = message.TryGetProperty("error", out var error);
        return !hasId ? "neither a request, a notification nor a response"
            : hasResult == hasError ? "a response needs exactly one of result and error"
            : hasError && error.ValueKind != JsonValueKind.Object ? "an error that is not an object"
            : null;
    }
}
