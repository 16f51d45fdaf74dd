using System.Collections.Frozen;

namespace McpGate.Policy.Evaluation.Compiled;

/// <summary>
/// A role's grants, or a subject's <c>extra</c> grants, pre-indexed per upstream alias. Grants whose server glob
/// matches every alias live in one shared index; the others are resolved against each configured alias at load.
/// </summary>
internal sealed class GrantSource
{
    private const int KindCount = 3;

    private readonly TargetIndex?[] _everyServer;
    private readonly FrozenDictionary<string, TargetIndex?[]> _byAlias;

    // Grants that do not match every alias; scanned only for an alias that was not configured at load.
    private readonly CompiledGrant[] _aliasSpecific;

    public GrantSource(string name, IReadOnlyList<GrantSpec> grants, IReadOnlyCollection<string> aliases)
    {
        Name = name;
        Grants = [.. grants.Select(g => new CompiledGrant(g))];

        var everyServer = Grants.Where(IsUniversal).ToArray();
        _aliasSpecific = [.. Grants.Except(everyServer)];
        _everyServer = BuildKinds(everyServer);

        // Exact server names go to a dictionary; only globbed server patterns are tried against every alias.
        var byExactServer = new Dictionary<string, List<CompiledGrant>>(StringComparer.Ordinal);
        var globbedServer = new List<CompiledGrant>();
        foreach (var grant in _aliasSpecific)
        {
            var hasGlob = false;
            foreach (var glob in grant.Servers.Globs)
            {
                if (glob.IsExact)
                {
                    if (!byExactServer.TryGetValue(glob.Pattern, out var list))
                    {
                        list = [];
                        byExactServer.Add(glob.Pattern, list);
                    }

                    list.Add(grant);
                }
                else
                {
                    hasGlob = true;
                }
            }

            if (hasGlob)
            {
                globbedServer.Add(grant);
            }
        }

        var byAlias = new Dictionary<string, TargetIndex?[]>(StringComparer.Ordinal);
        foreach (var alias in aliases)
        {
            var matching = new HashSet<CompiledGrant>();
            if (byExactServer.TryGetValue(alias, out var exact))
            {
                matching.UnionWith(exact);
            }

            foreach (var grant in globbedServer)
            {
                if (grant.Servers.IsMatch(alias))
                {
                    matching.Add(grant);
                }
            }

            if (matching.Count > 0)
            {
                byAlias[alias] = BuildKinds([.. matching.OrderBy(g => g.Index)]);
            }
        }

        _byAlias = byAlias.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public string Name { get; }

    public CompiledGrant[] Grants { get; }

    /// <summary>
    /// Narrows <paramref name="deny"/> and <paramref name="allow"/> to this source's first covering grants.
    /// <paramref name="aliasKnown"/> says whether <paramref name="server"/> was configured when this was compiled.
    /// </summary>
    public void Find(
        string server,
        bool aliasKnown,
        TargetKind kind,
        string target,
        int denyMask,
        int allowMask,
        ref CompiledGrant? deny,
        ref CompiledGrant? allow)
    {
        _everyServer[(int)kind]?.Find(target, denyMask, allowMask, ref deny, ref allow);
        if (aliasKnown)
        {
            if (_byAlias.Count != 0 && _byAlias.TryGetValue(server, out var indexes))
            {
                indexes[(int)kind]?.Find(target, denyMask, allowMask, ref deny, ref allow);
            }

            return;
        }

        // An alias the config does not define (e.g. `mcp acl check --server other`): no index, scan.
        var denyLimit = denyMask == 0 ? -1 : deny?.Index ?? int.MaxValue;
        var allowLimit = allowMask == 0 ? -1 : allow?.Index ?? int.MaxValue;
        foreach (var grant in _aliasSpecific)
        {
            if (grant.Index >= denyLimit && grant.Index >= allowLimit)
            {
                break;
            }

            if (grant.Servers.IsMatch(server) && grant.Targets(kind).IsMatch(target))
            {
                TargetIndex.Consider(grant, denyMask, allowMask, ref deny, ref allow, ref denyLimit, ref allowLimit);
            }
        }
    }

    private static bool IsUniversal(CompiledGrant grant)
    {
        foreach (var glob in grant.Servers.Globs)
        {
            if (glob.MatchesEverything)
            {
                return true;
            }
        }

        return false;
    }

    private static TargetIndex?[] BuildKinds(CompiledGrant[] grants)
    {
        var indexes = new TargetIndex?[KindCount];
        if (grants.Length > 0)
        {
            for (var kind = 0; kind < KindCount; kind++)
            {
                indexes[kind] = TargetIndex.Build(grants, (TargetKind)kind);
            }
        }

        return indexes;
    }
}
