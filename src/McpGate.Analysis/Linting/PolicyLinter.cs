using McpGate.Analysis.Snapshots;
using McpGate.Configuration;
using McpGate.Configuration.Loading;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Linting;

/// <summary>
/// <c>mcp acl lint</c>: finds what in a loaded policy is dead (never takes effect, matches nothing) or dangerous
/// (allows by default, stores a token in the clear, lets writers reach tools nobody classified). It reads the ACL
/// as the loader validated it (<see cref="PolicyEvaluator.Spec"/>) and decides coverage with the evaluator's own
/// compiled grants, so the linter cannot disagree with the gate about what a grant covers.
/// </summary>
public static class PolicyLinter
{
    internal const string AclPath = "$.serverAuth.acl";

    /// <param name="surfaces">What is known of each upstream, by alias; servers missing here are not pattern-checked.</param>
    public static IReadOnlyList<LintFinding> Lint(GateConfig config, IReadOnlyDictionary<string, UpstreamSurface> surfaces)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(surfaces);
        using var source = ConfigSource.Read(config.SourcePath);
        var findings = new List<LintFinding>();
        var spec = config.Evaluator.Spec;

        DefaultRules.DefaultAllow(config, spec, source, findings);
        TokenRules.Check(config, spec as RoleBasedAclSpec, source, findings);
        if (spec is RoleBasedAclSpec roleBased)
        {
            var grants = LintGrant.All(roleBased);
            GrantRules.Duplicates(grants, source, findings);
            GrantRules.ShadowedByDeny(roleBased, grants, source, findings);
            PatternRules.Grants(config, grants, surfaces, source, findings);
            GrantRules.AmbiguousWritable(config, roleBased, grants, surfaces, source, findings);
        }
        else if (spec is LegacyAclSpec legacy)
        {
            PatternRules.LegacyRules(legacy, surfaces, source, findings);
        }

        PatternRules.ToolAcl(config, surfaces, source, findings);

        // File order, so the report reads top to bottom like the config.
        return [.. findings
            .OrderBy(f => f.Line ?? int.MaxValue)
            .ThenBy(f => f.Column ?? 0)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .ThenBy(f => f.JsonPath, StringComparer.Ordinal)];
    }
}

/// <summary><c>default-allow</c>: a caller no grant covers is let through.</summary>
internal static class DefaultRules
{
    private const string Fix = "set \"default\": \"deny\" in serverAuth.acl and grant each role what it needs";

    public static void DefaultAllow(GateConfig config, AclSpec? spec, ConfigSource source, List<LintFinding> findings)
    {
        if (spec is null)
        {
            var path = source.TryGet(out _, "serverAuth") ? "$.serverAuth" : JsonPaths.Root;
            findings.Add(source.Finding(
                LintCodes.DefaultAllow,
                path,
                "there is no serverAuth.acl, so every caller may use every tool, resource and prompt",
                "add \"acl\": { \"default\": \"deny\", \"roles\": { ... }, \"subjects\": { ... } } to serverAuth"));
            return;
        }

        if (config.Evaluator.DefaultVerdict != Verdict.Allow)
        {
            return;
        }

        var explicitDefault = source.TryGet(out _, "serverAuth", "acl", "default");
        findings.Add(source.Finding(
            LintCodes.DefaultAllow,
            explicitDefault ? PolicyLinter.AclPath + ".default" : PolicyLinter.AclPath,
            explicitDefault
                ? "\"default\": \"allow\" lets through every request no grant covers, including tools added upstream later"
                : "\"default\" is not set, so it is \"allow\": every request no grant covers is let through, including tools added upstream later",
            Fix));
    }
}
