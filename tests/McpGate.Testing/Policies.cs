using FluentAssertions;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Testing;

/// <summary>Builds configs and evaluators from JSON the way the gateway does: through <see cref="ConfigLoader"/>.</summary>
public static class Policies
{
    public const string SourcePath = "/etc/mcpgate/test-servers.json";

    public const string Servers = """
        "mcpServers": {
          "github": { "url": "http://127.0.0.1:3101/mcp" },
          "grafana": { "url": "http://127.0.0.1:3102/mcp" },
          "databricks": { "url": "http://127.0.0.1:3103/mcp" },
          "sentry": { "url": "http://127.0.0.1:3104/mcp" },
          "prod-db": { "url": "http://127.0.0.1:3105/mcp" }
        }
        """;

    /// <summary>Loads <paramref name="json"/>; a config the loader accepts must also pass schema/servers.schema.json.</summary>
    public static GateConfig Parse(string json, IReadOnlyDictionary<string, string>? environment = null)
    {
        var config = ConfigLoader.Parse(json, SourcePath, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
        // Generated scale configs (10,000 grants) take the schema validator seconds and add no shape it has not seen.
        if (json.Length > 64 * 1024)
        {
            return config;
        }

        ServersSchema.Errors(json).Should().BeEmpty("the loader accepted this config, so the published schema must too:\n{0}", json);
        return config;
    }

    /// <summary>A config with the standard test upstreams and the given <c>serverAuth.acl</c> object.</summary>
    public static PolicyEvaluator Acl(string aclJson) =>
        Parse($$"""{ {{Servers}}, "serverAuth": { "acl": {{aclJson}} } }""").Evaluator;

    /// <summary>The same ACL compiled with no upstreams configured, so every alias takes the unindexed path.</summary>
    public static PolicyEvaluator AclWithoutAliases(string aclJson) =>
        Parse($$"""{ "mcpServers": {}, "serverAuth": { "acl": {{aclJson}} } }""").Evaluator;

    public static ConfigLoadException Fails(string json, IReadOnlyDictionary<string, string>? environment = null)
    {
        var act = () => Parse(json, environment);
        return act.Should().Throw<ConfigLoadException>().Which;
    }
}

public static class Identities
{
    public static Identity Of(string? subject, params string[] roles) => new(subject, roles, AuthSource.CommandLine);
}

public static class Classified
{
    public static readonly ToolClassification Read = new(ToolKind.Read, ClassificationSource.Classifier, 0.5, ["name token 'get' → read (+1)"], false, 3);
    public static readonly ToolClassification Write = new(ToolKind.Write, ClassificationSource.Override, 1.0, ["tool_acl.write"], false, 0);
    public static readonly ToolClassification Ambiguous = new(ToolKind.Ambiguous, ClassificationSource.Fallback, 0.0, [], false, 0);

    /// <summary>read | write | ambiguous | unknown (null).</summary>
    public static ToolClassification? Named(string column) => column switch
    {
        "read" => Read,
        "write" => Write,
        "ambiguous" => Ambiguous,
        "unknown" => null,
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
    };
}
