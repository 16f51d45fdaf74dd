using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation.Compiled;
using McpGate.Policy.Resources;

namespace McpGate.Policy.Evaluation;

/// <summary>
/// Decides requests under one compiled ACL (docs/acl.md, "How a request is decided"). Thread-safe and allocation-free
/// per decision: everything a decision needs (globs, per-alias grant indexes, grant ids) is built when the config is
/// loaded.
/// </summary>
public sealed class PolicyEvaluator
{
    private readonly RoleBasedPolicy? _roleBased;
    private readonly LegacyPolicy? _legacy;

    private PolicyEvaluator(RoleBasedPolicy? roleBased, LegacyPolicy? legacy, AclSpec? spec)
    {
        _roleBased = roleBased;
        _legacy = legacy;
        Spec = spec;
    }

    /// <summary>The evaluator of a config without <c>serverAuth.acl</c>: everything allowed, <c>matched_rule</c> = <c>no-acl</c>.</summary>
    public static PolicyEvaluator AllowAll { get; } = new(null, null, null);

    /// <summary>The ACL as the file wrote it, before compiling: what <c>mcp acl lint</c> inspects. Null without an ACL.</summary>
    public AclSpec? Spec { get; }

    /// <summary>Which ACL schema was loaded: <c>none</c>, <c>role-based</c> or <c>legacy</c>.</summary>
    public string Schema => _roleBased is not null ? "role-based" : _legacy is not null ? "legacy" : "none";

    /// <summary>The <c>default</c> policy; allow when there is no ACL.</summary>
    public Verdict DefaultVerdict => _roleBased?.Default ?? _legacy?.Default ?? Verdict.Allow;

    /// <summary><c>strictClassification</c> of a role-based ACL; false otherwise.</summary>
    public bool StrictClassification => _roleBased?.Strict ?? false;

    /// <summary>
    /// Decides one request (docs/acl.md, "How a request is decided"). <paramref name="target"/> is the tool name as
    /// the upstream names it, the resource URI, or the prompt name; <paramref name="classification"/> is null for a
    /// tool the gate does not know.
    /// <paramref name="explicitAccess"/> (<c>--access</c>) replaces the classification when judging coverage of a tool.
    /// </summary>
    public Decision Evaluate(
        Identity identity,
        string server,
        TargetKind targetKind,
        string target,
        ToolClassification? classification,
        AccessKind? explicitAccess = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(target);
        if (targetKind != TargetKind.Resource || _roleBased is null)
        {
            // Only role-based grants read a resource URI; no-acl and legacy decide resources by their default alone.
            return EvaluateOne(identity, server, targetKind, target, classification, explicitAccess);
        }

        // One reading: the URI is decided on its WHATWG-canonical form, which is what a TypeScript-SDK upstream acts
        // on (tabs, FILE:, file://localhost/, %2e%2e are gone from it). A URI no upstream can read as a URL is refused.
        var canonical = ResourceUri.Canonicalize(target);
        if (canonical is null)
        {
            return new EvaluationRequest(identity, server, targetKind, target, classification, explicitAccess)
                .Decide(Verdict.Deny, DecisionRules.InvalidUri, null, DecisionBasis.InvalidUri);
        }

        var decision = EvaluateOne(identity, server, targetKind, canonical, classification, explicitAccess);
        if (!decision.IsAllowed || !ResourceUriForms.MayResolveElsewhere(canonical))
        {
            return decision;
        }

        // A URI a C#-SDK upstream may still resolve elsewhere (..%2f, %252e) is allowed only when every place it can
        // land is.
        foreach (var form in ResourceUriForms.Of(canonical))
        {
            var other = EvaluateOne(identity, server, targetKind, form, classification, explicitAccess);
            if (!other.IsAllowed)
            {
                return other;
            }
        }

        return decision;
    }

    private Decision EvaluateOne(
        Identity identity,
        string server,
        TargetKind targetKind,
        string target,
        ToolClassification? classification,
        AccessKind? explicitAccess)
    {
        var request = new EvaluationRequest(identity, server, targetKind, target, classification, explicitAccess);
        if (_roleBased is not null)
        {
            return _roleBased.Evaluate(request);
        }

        if (_legacy is not null)
        {
            return _legacy.Evaluate(request);
        }

        return request.Decide(Verdict.Allow, DecisionRules.NoAcl, null, DecisionBasis.NoAcl);
    }

    /// <summary>
    /// The identity's roles then the subject's configured roles not already present (docs/acl.md, "How a request is
    /// decided"), without duplicates. Under the role-based schema, roles the ACL does not define are left out:
    /// evaluation ignores them.
    /// </summary>
    public IReadOnlyList<string> EffectiveRoles(Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_roleBased is not null)
        {
            return _roleBased.EffectiveRoles(identity);
        }

        var roles = new List<string>();
        foreach (var role in identity.Roles)
        {
            if (!roles.Contains(role))
            {
                roles.Add(role);
            }
        }

        return roles.AsReadOnly();
    }

    /// <summary>True when the role-based ACL defines <paramref name="role"/> (so a <c>--role</c> typo can be reported).</summary>
    public bool IsRoleDefined(string role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return _roleBased?.IsRoleDefined(role) ?? false;
    }

    /// <exception cref="ResourcePatternException">A resource pattern has a scheme but cannot be read as a URL.</exception>
    public static PolicyEvaluator Create(AclSpec? spec, IEnumerable<string> aliases)
    {
        switch (spec)
        {
            case null:
                return AllowAll;
            case RoleBasedAclSpec roleBased:
                // Resource patterns are canonicalised first, so evaluation and the linter (Spec) read the same patterns.
                var canonical = ResourceGrantPatterns.Canonicalize(roleBased);
                return new PolicyEvaluator(new RoleBasedPolicy(canonical, aliases), null, canonical);
            case LegacyAclSpec legacy:
                return new PolicyEvaluator(null, new LegacyPolicy(legacy), legacy);
            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec, "Unknown ACL schema.");
        }
    }
}
