using System.Collections.Frozen;

namespace McpGate.Policy.Evaluation.Compiled;

/// <summary>
/// The role-based schema (docs/acl.md, "Role-based ACL" and "How a request is decided"), compiled. Evaluation walks
/// the identity's roles, then the subject's configured roles, then the subject's extras, asking each pre-indexed
/// source for its first covering deny and allow grant. It allocates nothing: role merging scans for duplicates instead
/// of building a set.
/// </summary>
internal sealed class RoleBasedPolicy
{
    private readonly FrozenDictionary<string, GrantSource> _roles;
    private readonly FrozenDictionary<string, CompiledSubject> _subjects;
    private readonly FrozenSet<string> _aliases;

    public RoleBasedPolicy(RoleBasedAclSpec spec, IEnumerable<string> aliases)
    {
        Default = spec.Default;
        Strict = spec.StrictClassification;
        var aliasSet = aliases.ToFrozenSet(StringComparer.Ordinal);
        _aliases = aliasSet;

        var roles = new Dictionary<string, GrantSource>(StringComparer.Ordinal);
        foreach (var role in spec.Roles)
        {
            roles[role.Name] = new GrantSource(role.Name, role.Grants, aliasSet);
        }

        var subjects = new Dictionary<string, CompiledSubject>(StringComparer.Ordinal);
        foreach (var subject in spec.Subjects)
        {
            var subjectRoles = subject.Roles.Where(roles.ContainsKey).Select(r => roles[r]).ToArray();
            var extra = subject.Extra.Count == 0 ? null : new GrantSource($"{subject.Name}.extra", subject.Extra, aliasSet);
            subjects[subject.Name] = new CompiledSubject(subjectRoles, extra);
        }

        _roles = roles.ToFrozenDictionary(StringComparer.Ordinal);
        _subjects = subjects.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public Verdict Default { get; }

    public bool Strict { get; }

    public bool IsRoleDefined(string role) => _roles.ContainsKey(role);

    public Decision Evaluate(in EvaluationRequest request)
    {
        var denyMask = Coverage.DenyMask(request.Column, Strict);
        var allowMask = Coverage.AllowMask(request.Column, Strict);
        var aliasKnown = _aliases.Contains(request.Server);
        CompiledGrant? allow = null;

        // 1. Roles: the identity's own, in order, first occurrence only; undefined ones are ignored.
        var identityRoles = request.Identity.Roles;
        var count = identityRoles.Count;
        for (var i = 0; i < count; i++)
        {
            var name = identityRoles[i];
            if (IndexOf(identityRoles, name, i) >= 0 || !_roles.TryGetValue(name, out var role))
            {
                continue;
            }

            if (Visit(role, request, aliasKnown, denyMask, ref allowMask, ref allow) is { } denied)
            {
                return Deny(request, denied);
            }
        }

        // Then the subject's configured roles not already present, then its extra grants.
        if (request.Identity.Subject is { } subjectName && _subjects.TryGetValue(subjectName, out var subject))
        {
            foreach (var role in subject.Roles)
            {
                if (IndexOf(identityRoles, role.Name, count) >= 0)
                {
                    continue;
                }

                if (Visit(role, request, aliasKnown, denyMask, ref allowMask, ref allow) is { } denied)
                {
                    return Deny(request, denied);
                }
            }

            if (subject.Extra is { } extra && Visit(extra, request, aliasKnown, denyMask, ref allowMask, ref allow) is { } deniedByExtra)
            {
                return Deny(request, deniedByExtra);
            }
        }

        // 5. Allow pass: reached only when no deny fired anywhere, so the order of roles never changes the outcome.
        if (allow is not null)
        {
            return request.Decide(Verdict.Allow, allow.Id, allow.Access, DecisionBasis.AllowGrant);
        }

        // 6. Strict: (differs) an uncertain tool no grant covers is denied, not handed to the default.
        if (Strict && request.IsUncertainTool)
        {
            return request.Decide(Verdict.Deny, DecisionRules.Strict, null, DecisionBasis.Strict);
        }

        // 7. Default.
        return request.Decide(Default, DecisionRules.Default, null, DecisionBasis.Default);
    }

    public IReadOnlyList<string> EffectiveRoles(Identity identity)
    {
        var roles = new List<string>();
        foreach (var role in identity.Roles)
        {
            if (_roles.ContainsKey(role) && !roles.Contains(role))
            {
                roles.Add(role);
            }
        }

        if (identity.Subject is { } name && _subjects.TryGetValue(name, out var subject))
        {
            foreach (var role in subject.Roles)
            {
                if (!roles.Contains(role.Name))
                {
                    roles.Add(role.Name);
                }
            }
        }

        return roles.AsReadOnly();
    }

    /// <summary>Returns the source's first covering deny grant, and records its first covering allow grant if none yet.</summary>
    private static CompiledGrant? Visit(
        GrantSource source,
        in EvaluationRequest request,
        bool aliasKnown,
        int denyMask,
        ref int allowMask,
        ref CompiledGrant? allow)
    {
        CompiledGrant? deny = null;
        CompiledGrant? sourceAllow = null;
        source.Find(request.Server, aliasKnown, request.TargetKind, request.Target, denyMask, allowMask, ref deny, ref sourceAllow);
        if (sourceAllow is not null)
        {
            // The first allow in collection order is known; later sources only need to be searched for denies.
            allow = sourceAllow;
            allowMask = 0;
        }

        return deny;
    }

    private static Decision Deny(in EvaluationRequest request, CompiledGrant grant) =>
        request.Decide(Verdict.Deny, grant.Id, grant.Access, DecisionBasis.DenyGrant);

    /// <summary>Index of <paramref name="value"/> among the first <paramref name="limit"/> items, or -1.</summary>
    private static int IndexOf(IReadOnlyList<string> items, string value, int limit)
    {
        for (var i = 0; i < limit; i++)
        {
            if (string.Equals(items[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private sealed class CompiledSubject(GrantSource[] roles, GrantSource? extra)
    {
        public GrantSource[] Roles { get; } = roles;

        public GrantSource? Extra { get; } = extra;
    }
}

/// <summary>The fixed <c>matched_rule</c> values (docs/acl.md, "The decision").</summary>
internal static class DecisionRules
{
    public const string Default = "default";
    public const string Strict = "strict";
    public const string LegacyDefault = "legacy:default";
    public const string NoAcl = "no-acl";
    public const string InvalidUri = "invalid-uri";
}
