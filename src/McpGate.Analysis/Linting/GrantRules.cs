using McpGate.Analysis.Snapshots;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using McpGate.Policy.Evaluation.Compiled;

namespace McpGate.Analysis.Linting;

/// <summary>Rules about grants against each other: <c>duplicate-grant</c>, <c>grant-shadowed-by-deny</c>, <c>ambiguous-writable</c>.</summary>
internal static class GrantRules
{
    private static readonly TargetKind[] s_kinds = [TargetKind.Tool, TargetKind.Resource, TargetKind.Prompt];

    public static void Duplicates(List<LintGrant> grants, ConfigSource source, List<LintFinding> findings)
    {
        foreach (var group in grants.GroupBy(g => g.SourceName, StringComparer.Ordinal))
        {
            var list = group.ToList();
            for (var later = 1; later < list.Count; later++)
            {
                for (var earlier = 0; earlier < later; earlier++)
                {
                    if (SameGrant(list[earlier].Spec, list[later].Spec))
                    {
                        findings.Add(source.Finding(
                            LintCodes.DuplicateGrant,
                            list[later].Path,
                            $"{list[later].Spec.Id} repeats {list[earlier].Spec.Id} exactly",
                            $"remove {list[later].Spec.Id}"));
                        break;
                    }
                }
            }
        }
    }

    public static void ShadowedByDeny(RoleBasedAclSpec acl, List<LintGrant> grants, ConfigSource source, List<LintFinding> findings)
    {
        foreach (var allow in grants.Where(g => !g.Spec.Deny))
        {
            // The same identity always carries both: the same role, or a subject's extras and that subject's roles.
            var sameIdentity = grants.Where(d => d.Spec.Deny && (d.SourceName == allow.SourceName
                || (allow.Subject is { } subject && acl.Subjects.Any(s => s.Name == subject && s.Roles.Contains(d.SourceName)))));
            foreach (var deny in sameIdentity)
            {
                if (Covers(deny.Compiled, allow.Compiled))
                {
                    findings.Add(source.Finding(
                        LintCodes.GrantShadowedByDeny,
                        allow.Path,
                        $"allow grant {allow.Spec.Id} never takes effect: deny grant {deny.Spec.Id}, which every holder of {allow.SourceName} also has, covers everything it allows (a deny always wins)",
                        $"remove {allow.Spec.Id}, or narrow {deny.Spec.Id} (its server, access or targets) so it no longer covers it"));
                    break;
                }
            }
        }
    }

    public static void AmbiguousWritable(
        GateConfig config, RoleBasedAclSpec acl, List<LintGrant> grants, IReadOnlyDictionary<string, UpstreamSurface> surfaces, ConfigSource source, List<LintFinding> findings)
    {
        if (acl.StrictClassification)
        {
            return;
        }

        foreach (var grant in grants.Where(g => !g.Spec.Deny && g.Spec.Access is GrantAccess.Write or GrantAccess.Any))
        {
            var reached = new List<string>();
            var aliases = new List<string>();
            foreach (var (alias, upstream) in config.Servers)
            {
                if (!grant.Compiled.Servers.IsMatch(alias) || !surfaces.TryGetValue(alias, out var surface))
                {
                    continue;
                }

                var before = reached.Count;
                foreach (var tool in surface.Tools)
                {
                    if (grant.Compiled.Targets(TargetKind.Tool).IsMatch(tool.Name)
                        && ToolClassifier.ClassifyUncached(upstream.ToolAcl, tool).Kind == ToolKind.Ambiguous)
                    {
                        reached.Add($"{alias}/{tool.Name}");
                    }
                }

                if (reached.Count > before)
                {
                    aliases.Add(alias);
                }
            }

            if (reached.Count > 0)
            {
                findings.Add(source.Finding(
                    LintCodes.AmbiguousWritable,
                    grant.Path,
                    $"{grant.Spec.Id} (access {grant.Spec.Access.ToWire()}) reaches {reached.Count} ambiguous tool(s) the classifier could not call read or write: {string.Join(", ", reached)}",
                    $"classify them in {string.Join(", ", aliases.Select(a => $"mcpServers.{a}.tool_acl"))} (\"read\" or \"write\" globs), or set \"strictClassification\": true"));
            }
        }
    }

    /// <summary>True when deny grant <paramref name="deny"/> fires on every request allow grant <paramref name="allow"/> covers.</summary>
    internal static bool Covers(CompiledGrant deny, CompiledGrant allow)
    {
        if (deny.Access != GrantAccess.Any && deny.Access != allow.Access)
        {
            return false;
        }

        foreach (var server in allow.Servers.Globs)
        {
            if (!deny.Servers.Globs.Any(d => d.MatchesEverything || d.Pattern == server.Pattern || (server.IsExact && d.IsMatch(server.Pattern))))
            {
                return false;
            }
        }

        foreach (var kind in s_kinds)
        {
            var allowed = allow.Targets(kind);
            var denied = deny.Targets(kind);
            if (!allowed.Covered || denied.MatchesAll)
            {
                continue;
            }

            if (allowed.MatchesAll || !denied.Covered)
            {
                return false;
            }

            if (!allowed.Exact.All(denied.IsMatch))
            {
                return false;
            }

            if (allowed.Wildcards is { } wildcards
                && !wildcards.Globs.All(w => denied.Wildcards?.Globs.Any(d => d.Pattern == w.Pattern) == true))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameGrant(GrantSpec a, GrantSpec b) =>
        a.Deny == b.Deny
        && a.Access == b.Access
        && SameSet(a.Servers, b.Servers)
        && SameSet(a.Tools, b.Tools)
        && SameSet(a.Resources, b.Resources)
        && SameSet(a.Prompts, b.Prompts);

    private static bool SameSet(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null || b is null ? a is null && b is null : a.ToHashSet(StringComparer.Ordinal).SetEquals(b);
}
