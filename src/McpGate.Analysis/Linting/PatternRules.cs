using McpGate.Analysis.Snapshots;
using McpGate.Configuration;
using McpGate.Configuration.Loading;
using McpGate.Policy.Evaluation;
using McpGate.Policy.Globbing;

namespace McpGate.Analysis.Linting;

/// <summary>
/// <c>pattern-matches-nothing</c>: a grant, legacy rule or <c>tool_acl</c> glob that matches nothing the upstreams
/// list. Only upstreams whose surface is known are consulted, and a pattern is reported only when at least one of the
/// upstreams it applies to is known, so a missing snapshot entry never produces a finding.
/// </summary>
internal static class PatternRules
{
    private static readonly TargetKind[] s_kinds = [TargetKind.Tool, TargetKind.Resource, TargetKind.Prompt];

    public static void Grants(GateConfig config, List<LintGrant> grants, IReadOnlyDictionary<string, UpstreamSurface> surfaces, ConfigSource source, List<LintFinding> findings)
    {
        foreach (var grant in grants)
        {
            foreach (var server in grant.Compiled.Servers.Globs)
            {
                if (!server.MatchesEverything && !config.Servers.Keys.Any(alias => server.IsMatch(alias)))
                {
                    findings.Add(source.Finding(
                        LintCodes.PatternMatchesNothing,
                        JsonPaths.Property(grant.Path, "server"),
                        $"server pattern '{server.Pattern}' of {grant.Spec.Id} matches no upstream in mcpServers",
                        $"use a configured alias ({string.Join(", ", config.Servers.Keys)}) or a glob over them, or remove the grant"));
                }
            }

            var known = config.Servers.Keys.Where(alias => grant.Compiled.Servers.IsMatch(alias) && surfaces.ContainsKey(alias)).ToList();
            foreach (var kind in s_kinds)
            {
                var patterns = grant.Patterns(kind);
                for (var i = 0; i < (patterns?.Count ?? 0); i++)
                {
                    var glob = new Glob(patterns![i]);
                    if (!glob.MatchesEverything && MatchesNothing(glob, kind, known.Select(a => surfaces[a]), out var searched))
                    {
                        findings.Add(source.Finding(
                            LintCodes.PatternMatchesNothing,
                            JsonPaths.Index(JsonPaths.Property(grant.Path, LintGrant.KeyOf(kind)), i),
                            $"{kind.ToWire()} pattern '{glob.Pattern}' of {grant.Spec.Id} matches no {kind.ToWire()} of {searched}",
                            $"correct the pattern or remove it ('mcp acl classify --server {known[0]}' lists the tools)"));
                    }
                }
            }
        }
    }

    public static void LegacyRules(LegacyAclSpec acl, IReadOnlyDictionary<string, UpstreamSurface> surfaces, ConfigSource source, List<LintFinding> findings)
    {
        if (surfaces.Count == 0)
        {
            return;
        }

        var namespaced = surfaces.Values.SelectMany(s => s.Tools.Select(t => $"{s.Server}__{t.Name}")).ToList();
        foreach (var rule in acl.Rules)
        {
            for (var i = 0; i < rule.Tools.Count; i++)
            {
                var glob = new Glob(rule.Tools[i]);
                if (!glob.MatchesEverything && !namespaced.Any(name => glob.IsMatch(name)))
                {
                    findings.Add(source.Finding(
                        LintCodes.PatternMatchesNothing,
                        JsonPaths.Index(JsonPaths.Property(JsonPaths.Index(PolicyLinter.AclPath + ".rules", rule.Index), "tools"), i),
                        $"tool pattern '{glob.Pattern}' of legacy[{rule.Index}] matches no <alias>__<tool> of {string.Join(", ", surfaces.Keys)}",
                        "correct the pattern (legacy globs match the namespaced name, e.g. github__create_*) or remove it"));
                }
            }
        }
    }

    public static void ToolAcl(GateConfig config, IReadOnlyDictionary<string, UpstreamSurface> surfaces, ConfigSource source, List<LintFinding> findings)
    {
        foreach (var (alias, upstream) in config.Servers)
        {
            if (!surfaces.TryGetValue(alias, out var surface))
            {
                continue;
            }

            foreach (var (key, globs) in (ReadOnlySpan<(string, GlobList)>)[("read", upstream.ToolAcl.Read), ("write", upstream.ToolAcl.Write)])
            {
                for (var i = 0; i < globs.Count; i++)
                {
                    var glob = globs.Globs[i];
                    if (!glob.MatchesEverything && !surface.Tools.Any(t => glob.IsMatch(t.Name)))
                    {
                        findings.Add(source.Finding(
                            LintCodes.PatternMatchesNothing,
                            JsonPaths.Index(JsonPaths.Property(JsonPaths.Property(JsonPaths.Property("$.mcpServers", alias), "tool_acl"), key), i),
                            $"tool_acl.{key} pattern '{glob.Pattern}' matches no tool of {alias}",
                            $"correct the pattern or remove it ('mcp acl classify --server {alias}' lists the tools)"));
                    }
                }
            }
        }
    }

    /// <summary>
    /// True when no known upstream lists a match. Resource templates are compared by their fixed start only (a
    /// pattern may match URIs a template produces), so a pattern overlapping a template is never reported.
    /// </summary>
    private static bool MatchesNothing(Glob glob, TargetKind kind, IEnumerable<UpstreamSurface> surfaces, out string searched)
    {
        var names = new List<string>();
        foreach (var surface in surfaces)
        {
            var items = kind switch
            {
                TargetKind.Tool => surface.Tools.Select(t => t.Name).ToList(),
                TargetKind.Prompt => surface.Prompts,
                _ => surface.Resources,
            };
            if (items is null)
            {
                continue;
            }

            names.Add(surface.Server);
            if (items.Any(item => glob.IsMatch(item)))
            {
                searched = string.Empty;
                return false;
            }

            if (kind == TargetKind.Resource && (surface.ResourceTemplates ?? []).Any(t => Overlaps(glob.Pattern, t)))
            {
                searched = string.Empty;
                return false;
            }
        }

        searched = string.Join(", ", names);
        return names.Count > 0;
    }

    private static bool Overlaps(string pattern, string template)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        var brace = template.IndexOf('{', StringComparison.Ordinal);
        var fixedPattern = star < 0 ? pattern : pattern[..star];
        var fixedTemplate = brace < 0 ? template : template[..brace];
        return fixedPattern.StartsWith(fixedTemplate, StringComparison.Ordinal) || fixedTemplate.StartsWith(fixedPattern, StringComparison.Ordinal);
    }
}
