using System.Collections.Frozen;
using McpGate.Policy.Globbing;

namespace McpGate.Policy.Evaluation.Compiled;

/// <summary>
/// The grants of one role (or extras list) that apply to one upstream and one target kind, indexed so a lookup
/// costs one dictionary probe for exact target names plus a scan of wildcard grants only.
/// </summary>
internal sealed class TargetIndex
{
    private readonly FrozenDictionary<string, CompiledGrant[]> _exact;

    // In grant order, so a scan can stop as soon as it cannot beat what it already found.
    private readonly WildcardGrant[] _wildcards;

    private TargetIndex(FrozenDictionary<string, CompiledGrant[]> exact, WildcardGrant[] wildcards)
    {
        _exact = exact;
        _wildcards = wildcards;
    }

    /// <summary>Indexes <paramref name="grants"/> (in grant order) for <paramref name="kind"/>; null when none covers it.</summary>
    public static TargetIndex? Build(IReadOnlyList<CompiledGrant> grants, TargetKind kind)
    {
        var exact = new Dictionary<string, List<CompiledGrant>>(StringComparer.Ordinal);
        var wildcards = new List<WildcardGrant>();
        foreach (var grant in grants)
        {
            var targets = grant.Targets(kind);
            if (!targets.Covered)
            {
                continue;
            }

            if (targets.MatchesAll)
            {
                wildcards.Add(new WildcardGrant(grant, null));
                continue;
            }

            foreach (var name in targets.Exact)
            {
                if (!exact.TryGetValue(name, out var list))
                {
                    list = [];
                    exact.Add(name, list);
                }

                list.Add(grant);
            }

            if (targets.Wildcards is not null)
            {
                wildcards.Add(new WildcardGrant(grant, targets.Wildcards));
            }
        }

        if (exact.Count == 0 && wildcards.Count == 0)
        {
            return null;
        }

        var frozen = exact.Count == 0
            ? FrozenDictionary<string, CompiledGrant[]>.Empty
            : exact.ToFrozenDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        return new TargetIndex(frozen, [.. wildcards]);
    }

    /// <summary>
    /// The first (lowest index) deny grant whose access is in <paramref name="denyMask"/> and the first allow grant
    /// whose access is in <paramref name="allowMask"/> that match <paramref name="target"/>. A zero mask skips that search.
    /// </summary>
    public void Find(string target, int denyMask, int allowMask, ref CompiledGrant? deny, ref CompiledGrant? allow)
    {
        var denyLimit = denyMask == 0 ? -1 : deny?.Index ?? int.MaxValue;
        var allowLimit = allowMask == 0 ? -1 : allow?.Index ?? int.MaxValue;
        if (_exact.Count != 0 && _exact.TryGetValue(target, out var grants))
        {
            foreach (var grant in grants)
            {
                Consider(grant, denyMask, allowMask, ref deny, ref allow, ref denyLimit, ref allowLimit);
            }
        }

        foreach (var entry in _wildcards)
        {
            var grant = entry.Grant;
            if (grant.Index >= denyLimit && grant.Index >= allowLimit)
            {
                break;
            }

            var candidate = grant.Deny
                ? grant.Index < denyLimit && (grant.AccessBit & denyMask) != 0
                : grant.Index < allowLimit && (grant.AccessBit & allowMask) != 0;
            if (candidate && (entry.Patterns is null || entry.Patterns.IsMatch(target)))
            {
                Consider(grant, denyMask, allowMask, ref deny, ref allow, ref denyLimit, ref allowLimit);
            }
        }
    }

    internal static void Consider(
        CompiledGrant grant,
        int denyMask,
        int allowMask,
        ref CompiledGrant? deny,
        ref CompiledGrant? allow,
        ref int denyLimit,
        ref int allowLimit)
    {
        if (grant.Deny)
        {
            if (grant.Index < denyLimit && (grant.AccessBit & denyMask) != 0)
            {
                deny = grant;
                denyLimit = grant.Index;
            }
        }
        else if (grant.Index < allowLimit && (grant.AccessBit & allowMask) != 0)
        {
            allow = grant;
            allowLimit = grant.Index;
        }
    }

    private readonly record struct WildcardGrant(CompiledGrant Grant, GlobList? Patterns);
}
