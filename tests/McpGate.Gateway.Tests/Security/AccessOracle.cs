using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// The expected rights of each caller under <see cref="Functional.GatePolicies.Standard"/>, written out by hand from
/// the policy and the upstream's tools (not computed by the gate's own evaluator), and a reader of forwarded bodies
/// that finds every call they could be taken to make: every <c>method</c>, every <c>params.name</c>/<c>uri</c>, at
/// every position in a batch, duplicates included.
/// </summary>
internal static class AccessOracle
{
    /// <summary>The tools a caller may run. bob: the read tools (two by annotation, two by the classifier). carol: none.</summary>
    public static IReadOnlySet<string> ToolsFor(Caller caller) => caller switch
    {
        Caller.Bob => new HashSet<string>(HostileGen.AllowedTools, StringComparer.Ordinal),
        _ => new HashSet<string>(StringComparer.Ordinal),
    };

    /// <summary>Both bob and carol hold the reader role's resource grant: <c>file:///public/*</c>, <c>file:///projects/*</c>.</summary>
    public static bool MayReadResource(Caller caller, string uri) =>
        caller is Caller.Bob or Caller.Carol
        && (uri.StartsWith("file:///public/", StringComparison.Ordinal) || uri.StartsWith("file:///projects/", StringComparison.Ordinal));

    public static bool MayGetPrompt(Caller caller, string name) =>
        caller is Caller.Bob or Caller.Carol && string.Equals(name, "code_review", StringComparison.Ordinal);

    /// <summary>How many forbidden executions the upstream has seen so far.</summary>
    public static int ForbiddenExecutions(UpstreamSpy spy) =>
        HostileGen.DeniedTools.Sum(spy.ExecutedToolCount) + spy.ResourceReadCount(TestUpstream.SecretKeysUri) + spy.PromptGetCount("admin_prompt");

    /// <summary>What ran inside the upstream that nobody here may run: tool bodies, secret reads, privileged prompts.</summary>
    public static string? ForbiddenExecution(UpstreamSpy spy)
    {
        foreach (var tool in HostileGen.DeniedTools)
        {
            if (spy.ExecutedToolCount(tool) > 0)
            {
                return $"the upstream executed {tool}";
            }
        }

        if (spy.ResourceReadCount(TestUpstream.SecretKeysUri) > 0)
        {
            return "the upstream read " + TestUpstream.SecretKeysUri;
        }

        return spy.PromptGetCount("admin_prompt") > 0 ? "the upstream rendered admin_prompt" : null;
    }

    /// <summary>Null when every call the forwarded body could be read as is one <paramref name="caller"/> may make.</summary>
    public static string? ViolationIn(Caller caller, byte[] forwardedBody)
    {
        if (caller is Caller.Anonymous or Caller.WrongToken)
        {
            return "an unauthenticated request was forwarded";
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(forwardedBody, new JsonDocumentOptions { MaxDepth = 512 });
        }
        catch (JsonException)
        {
            return "a body that is not JSON was forwarded";
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var element in root.EnumerateArray())
                {
                    if (MessageViolation(caller, element) is { } violation)
                    {
                        return violation;
                    }
                }

                return null;
            }

            return MessageViolation(caller, root);
        }
    }

    private static string? MessageViolation(Caller caller, JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // Every member is looked at, so a duplicate key cannot hide a second reading.
        foreach (var member in message.EnumerateObject())
        {
            if (member.NameEquals("method") && member.Value.ValueKind == JsonValueKind.String)
            {
                var method = member.Value.GetString();
                foreach (var parameters in Members(message, "params"))
                {
                    if (TargetViolation(caller, method, parameters) is { } violation)
                    {
                        return violation;
                    }
                }

                if (method is "tools/call" or "prompts/get" or "resources/read" or "resources/subscribe" && !Members(message, "params").Any())
                {
                    return $"{method} without params was forwarded";
                }
            }
        }

        return null;
    }

    private static string? TargetViolation(Caller caller, string? method, JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return method is "tools/call" or "prompts/get" or "resources/read" or "resources/subscribe"
                ? $"{method} with params of kind {parameters.ValueKind} was forwarded"
                : null;
        }

        switch (method)
        {
            case "tools/call":
                foreach (var name in Strings(parameters, "name"))
                {
                    if (!ToolsFor(caller).Contains(name))
                    {
                        return $"tools/call {Show(name)} by {caller} was forwarded";
                    }
                }

                break;
            case "prompts/get":
                foreach (var name in Strings(parameters, "name"))
                {
                    if (!MayGetPrompt(caller, name))
                    {
                        return $"prompts/get {Show(name)} by {caller} was forwarded";
                    }
                }

                break;
            case "resources/read" or "resources/subscribe":
                foreach (var uri in Strings(parameters, "uri"))
                {
                    if (!MayReadResource(caller, uri))
                    {
                        return $"{method} {Show(uri)} by {caller} was forwarded";
                    }
                }

                break;
            default:
                break;
        }

        return null;
    }

    private static IEnumerable<JsonElement> Members(JsonElement element, string name)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (member.NameEquals(name))
            {
                yield return member.Value;
            }
        }
    }

    private static IEnumerable<string> Strings(JsonElement element, string name)
    {
        foreach (var value in Members(element, name))
        {
            yield return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }
    }

    private static string Show(string value) => JsonSerializer.Serialize(value);
}
