using McpGate.Policy.Globbing;

namespace McpGate.Policy.Evaluation.Compiled;

/// <summary>A grant compiled once at load: globs built, its target patterns split into exact names and wildcards.</summary>
public sealed class CompiledGrant
{
    private readonly GrantTargets[] _targets;

    public CompiledGrant(GrantSpec spec)
    {
        Id = spec.Id;
        Index = spec.Index;
        Deny = spec.Deny;
        Access = spec.Access;
        AccessBit = Coverage.Bit(spec.Access);
        Servers = new GlobList(spec.Servers);

        // (differs) A grant that lists any target kind covers only the kinds it lists.
        var listsAny = spec.Tools is not null || spec.Resources is not null || spec.Prompts is not null;
        _targets =
        [
            GrantTargets.From(spec.Tools, listsAny),
            GrantTargets.From(spec.Resources, listsAny),
            GrantTargets.From(spec.Prompts, listsAny),
        ];
    }

    /// <summary><c>&lt;role&gt;[&lt;i&gt;]</c> or <c>&lt;subject&gt;.extra[&lt;i&gt;]</c>, built once.</summary>
    public string Id { get; }

    /// <summary>Position inside its role or extras list: collection order within one source.</summary>
    public int Index { get; }

    public bool Deny { get; }

    public GrantAccess Access { get; }

    public int AccessBit { get; }

    public GlobList Servers { get; }

    public GrantTargets Targets(TargetKind kind) => _targets[(int)kind];
}

/// <summary>What one grant covers of one target kind.</summary>
public sealed class GrantTargets
{
    public static readonly GrantTargets Everything = new(covered: true, matchesAll: true, [], null);
    public static readonly GrantTargets Nothing = new(covered: false, matchesAll: false, [], null);

    private GrantTargets(bool covered, bool matchesAll, string[] exact, GlobList? wildcards)
    {
        Covered = covered;
        MatchesAll = matchesAll;
        Exact = exact;
        Wildcards = wildcards;
    }

    /// <summary>False when the grant lists other kinds but not this one.</summary>
    public bool Covered { get; }

    public bool MatchesAll { get; }

    /// <summary>Patterns without <c>*</c>, distinct: looked up in a dictionary, never globbed.</summary>
    public string[] Exact { get; }

    /// <summary>Patterns with <c>*</c>, or null when there are none.</summary>
    public GlobList? Wildcards { get; }

    public static GrantTargets From(IReadOnlyList<string>? patterns, bool grantListsAnyKind)
    {
        if (patterns is null)
        {
            return grantListsAnyKind ? Nothing : Everything;
        }

        var exact = new List<string>();
        var wildcards = new List<string>();
        foreach (var pattern in patterns)
        {
            var glob = new Glob(pattern);
            if (glob.MatchesEverything)
            {
                return Everything;
            }

            if (glob.IsExact)
            {
                if (!exact.Contains(pattern))
                {
                    exact.Add(pattern);
                }
            }
            else if (!wildcards.Contains(pattern))
            {
                wildcards.Add(pattern);
            }
        }

        return new GrantTargets(covered: true, matchesAll: false, [.. exact], wildcards.Count == 0 ? null : new GlobList(wildcards));
    }

    /// <summary>The slow path (an upstream alias not known at load): match without an index.</summary>
    public bool IsMatch(string target)
    {
        if (!Covered)
        {
            return false;
        }

        if (MatchesAll)
        {
            return true;
        }

        foreach (var exact in Exact)
        {
            if (string.Equals(exact, target, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return Wildcards is not null && Wildcards.IsMatch(target);
    }
}
