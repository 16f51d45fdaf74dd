using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using McpGate.Mcp.JsonRpc;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Xunit.Abstractions;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// The gate decides on what <see cref="JsonRpcInspector"/> reads and forwards the same bytes, so any body the
/// inspector accepts must mean the same thing to the upstream. This compares the inspector with the parser of the
/// upstream this project tests against (the MCP C# SDK's <see cref="JsonRpcMessage"/> deserialisation) and with a
/// first-member-wins reading, on generated hostile bodies. Same seed and size settings as the gate property
/// (<see cref="FuzzSettings"/>, <c>MCPGATE_FUZZ_BODIES</c>).
/// </summary>
[Trait("Category", "Slow")]
public sealed class InspectorDifferentialPropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void AcceptedBodies_MeanTheSameMethodAndTargetToTheUpstreamsParser()
    {
        HostileGen.Body.Sample(
            body =>
            {
                if (Disagreement(body.Body) is { } disagreement)
                {
                    throw new InvalidOperationException(disagreement);
                }
            },
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Bodies,
            print: static b => System.Text.Encoding.UTF8.GetString(b.Body.AsSpan(0, Math.Min(b.Body.Length, 2048))));
    }

    /// <summary>Null when the inspector refused the body or read it the way the upstream does.</summary>
    internal static string? Disagreement(byte[] body)
    {
        var inspection = JsonRpcInspector.Inspect(body);
        if (!inspection.IsValid)
        {
            return inspection.Messages.Count == 0 ? null : "a failed inspection returned messages";
        }

        if (inspection.Messages.Count == 0)
        {
            return "a successful inspection returned no message";
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException ex)
        {
            return "the inspector accepted a body System.Text.Json cannot parse: " + ex.Message;
        }

        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray()] : new List<JsonElement> { root };
            if (elements.Count != inspection.Messages.Count || inspection.IsBatch != (root.ValueKind == JsonValueKind.Array))
            {
                return $"the inspector saw {inspection.Messages.Count} message(s), the body holds {elements.Count}";
            }

            for (var i = 0; i < elements.Count; i++)
            {
                if (MessageDisagreement(inspection.Messages[i], elements[i]) is { } disagreement)
                {
                    return $"message {i}: {disagreement}";
                }
            }
        }

        return null;
    }

    private static string? MessageDisagreement(InspectedMessage inspected, JsonElement element)
    {
        if (inspected.Method == McpMethods.ToolsCall && inspected.Name is null)
        {
            return "tools/call without a name";
        }

        if (inspected.Method is McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe && inspected.Uri is null)
        {
            return inspected.Method + " without a uri";
        }

        // First member wins: what a streaming parser that stops early would read.
        var firstMethod = First(element, "method");
        if (firstMethod is { ValueKind: JsonValueKind.String } && firstMethod.Value.GetString() != inspected.Method)
        {
            return $"method {inspected.Method} read as {firstMethod.Value.GetString()} by a first-wins parser";
        }

        JsonRpcMessage? sdk;
        try
        {
            sdk = JsonSerializer.Deserialize<JsonRpcMessage>(element.GetRawText(), McpJsonUtilities.DefaultOptions);
        }
#pragma warning disable CA1031 // Whatever the SDK throws, it refuses the message: nothing runs, nothing to compare.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }

        var (method, parameters) = sdk switch
        {
            JsonRpcRequest request => (request.Method, request.Params),
            JsonRpcNotification notification => (notification.Method, notification.Params),
            _ => ((string?)null, (JsonNode?)null),
        };

        if (method is null)
        {
            return inspected.Kind == JsonRpcMessageKind.Response || sdk is null ? null : $"the SDK read no method where the inspector read {inspected.Method}";
        }

        if (!string.Equals(method, inspected.Method, StringComparison.Ordinal))
        {
            return $"the inspector read method {Show(inspected.Method)}, the SDK {Show(method)}";
        }

        string? sdkName, sdkUri;
        try
        {
            sdkName = StringAt(parameters, "name");
            sdkUri = StringAt(parameters, "uri");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The SDK's params object matches names case-insensitively and throws on "name" next to "Name", and on
            // a lone surrogate escape in a value the gate skipped: the upstream fails the request, nothing runs.
            return null;
        }

        return method switch
        {
            McpMethods.ToolsCall or McpMethods.PromptsGet when !string.Equals(sdkName, inspected.Name, StringComparison.Ordinal) =>
                $"the inspector read {method} {Show(inspected.Name)}, the SDK {Show(sdkName)}",
            McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe when !string.Equals(sdkUri, inspected.Uri, StringComparison.Ordinal) =>
                $"the inspector read {method} {Show(inspected.Uri)}, the SDK {Show(sdkUri)}",
            _ => null,
        };
    }

    private static JsonElement? First(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var member in element.EnumerateObject())
        {
            if (member.NameEquals(name))
            {
                return member.Value;
            }
        }

        return null;
    }

    private static string? StringAt(JsonNode? parameters, string name) =>
        parameters is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue scalar && scalar.TryGetValue<string>(out var text)
            ? text
            : null;

    private static string Show(string? value) => value is null ? "null" : JsonSerializer.Serialize(value);
}
