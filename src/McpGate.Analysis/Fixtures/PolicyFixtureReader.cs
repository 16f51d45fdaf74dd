using System.Text.Json;
using McpGate.Configuration.Loading;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Fixtures;

/// <summary>
/// Reads an <c>mcp acl test</c> file (<c>{ "tests": [ ... ] }</c>, docs/policy-ci.md). Every key is checked, as in
/// <c>servers.json</c>: a misspelt <c>"expcet"</c> must not silently turn a case into one that asserts nothing.
/// </summary>
public static class PolicyFixtureReader
{
    private const string What = "policy tests";

    internal static readonly string[] CaseKeys =
        ["name", "subject", "roles", "server", "tool", "resource", "prompt", "access", "expect", "rule", "classification"];

    private static readonly string[] s_classifications = ["read", "write", "ambiguous", "unknown"];

    /// <exception cref="AnalysisFileException">The file is missing, not JSON, or a case is malformed.</exception>
    public static IReadOnlyList<PolicyFixture> Load(string path)
    {
        using var file = AnalysisFile.Open(What, path);
        var fixtures = new List<PolicyFixture>();
        var testsPath = JsonPaths.Property(JsonPaths.Root, "tests");
        if (file.Root.ValueKind != JsonValueKind.Object || !file.Root.TryGetProperty("tests", out var tests) || tests.ValueKind != JsonValueKind.Array)
        {
            file.Error(JsonPaths.Root, "expected { \"tests\": [ ... ] }", "write { \"tests\": [ { \"name\": \"...\", \"subject\": \"bob\", \"server\": \"github\", \"tool\": \"create_pr\", \"expect\": \"allow\" } ] }");
            file.ThrowIfErrors();
        }
        else
        {
            file.CheckKeys(file.Root, JsonPaths.Root, ["tests", "$schema"]);
            var index = 0;
            foreach (var element in tests.EnumerateArray())
            {
                var casePath = JsonPaths.Index(testsPath, index++);
                if (ReadCase(file, element, casePath) is { } fixture)
                {
                    fixtures.Add(fixture);
                }
            }
        }

        file.ThrowIfErrors();
        return fixtures;
    }

    private static PolicyFixture? ReadCase(AnalysisFile file, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            file.Error(path, "a test case must be an object", "write { \"name\": \"...\", \"subject\": \"bob\", \"server\": \"github\", \"tool\": \"create_pr\", \"expect\": \"deny\" }");
            return null;
        }

        file.CheckKeys(element, path, CaseKeys);
        var name = file.OptionalString(element, path, "name");
        var subject = file.OptionalString(element, path, "subject");
        var roles = ReadRoles(file, element, path);
        if (subject is null && roles.Count == 0)
        {
            file.Error(path, "the case names no caller", "add \"subject\": \"bob\", \"roles\": [\"dev\"], or both (as --subject and --role of 'mcp acl check')");
        }

        var server = file.OptionalString(element, path, "server");
        if (string.IsNullOrEmpty(server))
        {
            file.Error(path, "missing \"server\"", "add \"server\": \"<alias from mcpServers>\"");
        }

        var targets = new List<(TargetKind Kind, string Value)>();
        foreach (var (key, kind) in (ReadOnlySpan<(string, TargetKind)>)[("tool", TargetKind.Tool), ("resource", TargetKind.Resource), ("prompt", TargetKind.Prompt)])
        {
            if (file.OptionalString(element, path, key) is { } value)
            {
                targets.Add((kind, value));
            }
        }

        if (targets.Count != 1)
        {
            file.Error(path, targets.Count == 0 ? "the case names no target" : "the case names more than one target", "give exactly one of \"tool\", \"resource\" or \"prompt\"");
        }

        AccessKind? access = file.OptionalString(element, path, "access") switch
        {
            null => null,
            "read" => AccessKind.Read,
            "write" => AccessKind.Write,
            _ => Invalid<AccessKind>(file, path, "access", "use \"read\" or \"write\""),
        };

        Verdict? expect = file.OptionalString(element, path, "expect") switch
        {
            "allow" => Verdict.Allow,
            "deny" => Verdict.Deny,
            null => Missing(file, path),
            _ => Invalid<Verdict>(file, path, "expect", "use \"allow\" or \"deny\""),
        };

        var classification = file.OptionalString(element, path, "classification");
        if (classification is not null && !s_classifications.Contains(classification))
        {
            Invalid<int>(file, path, "classification", "use \"read\", \"write\", \"ambiguous\" or \"unknown\"");
        }

        if (server is null || targets.Count != 1 || expect is null)
        {
            return null;
        }

        var (targetKind, target) = targets[0];
        return new PolicyFixture
        {
            File = file.Path,
            JsonPath = path,
            Line = file.Line(path),
            Name = name ?? $"{path}: {subject ?? string.Join('+', roles)} {targetKind.ToWire()} {server}/{target}",
            Subject = subject,
            Roles = roles,
            Server = server,
            TargetKind = targetKind,
            Target = target,
            Access = access,
            Expect = expect.Value,
            Rule = file.OptionalString(element, path, "rule"),
            Classification = classification,
        };
    }

    private static List<string> ReadRoles(AnalysisFile file, JsonElement element, string path)
    {
        var roles = new List<string>();
        if (!element.TryGetProperty("roles", out var array))
        {
            return roles;
        }

        var rolesPath = JsonPaths.Property(path, "roles");
        if (array.ValueKind != JsonValueKind.Array)
        {
            file.Error(rolesPath, "\"roles\" must be a list of role names", "write \"roles\": [\"dev\"]");
            return roles;
        }

        var index = 0;
        foreach (var role in array.EnumerateArray())
        {
            if (role.ValueKind == JsonValueKind.String && role.GetString() is { Length: > 0 } name)
            {
                roles.Add(name);
            }
            else
            {
                file.Error(JsonPaths.Index(rolesPath, index), "a role must be a non-empty string", "write \"roles\": [\"dev\"]");
            }

            index++;
        }

        return roles;
    }

    private static Verdict? Missing(AnalysisFile file, string path)
    {
        file.Error(path, "missing \"expect\"", "add \"expect\": \"allow\" or \"expect\": \"deny\"");
        return null;
    }

    private static T? Invalid<T>(AnalysisFile file, string path, string key, string fix)
        where T : struct
    {
        file.Error(JsonPaths.Property(path, key), $"invalid \"{key}\"", fix);
        return null;
    }
}
