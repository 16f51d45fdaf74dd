namespace McpGate.Policy.Evaluation;

/// <summary>A validated, not yet compiled <c>serverAuth.acl</c> (docs/acl.md, "The ACL: two schemas"): what the loader
/// hands the evaluator.</summary>
public abstract record AclSpec;

/// <summary>One grant (docs/acl.md, "Role-based ACL"). A null target list means the grant does not list that
/// kind.</summary>
/// <param name="Id"><c>&lt;role&gt;[&lt;i&gt;]</c> or <c>&lt;subject&gt;.extra[&lt;i&gt;]</c>.</param>
/// <param name="Index">Position within its role or extras list (0-based).</param>
public sealed record GrantSpec(
    string Id,
    int Index,
    IReadOnlyList<string> Servers,
    GrantAccess Access,
    bool Deny,
    IReadOnlyList<string>? Tools,
    IReadOnlyList<string>? Resources,
    IReadOnlyList<string>? Prompts);

public sealed record RoleSpec(string Name, IReadOnlyList<GrantSpec> Grants);

/// <param name="Roles">Defined role names, in configured order, without duplicates.</param>
public sealed record SubjectSpec(string Name, IReadOnlyList<string> Roles, IReadOnlyList<GrantSpec> Extra);

public sealed record RoleBasedAclSpec(
    Verdict Default,
    bool StrictClassification,
    IReadOnlyList<RoleSpec> Roles,
    IReadOnlyList<SubjectSpec> Subjects) : AclSpec;

/// <summary>One legacy rule (docs/acl.md, "Legacy ACL"); <see cref="Tools"/> globs match
/// <c>&lt;alias&gt;__&lt;tool&gt;</c>.</summary>
public sealed record LegacyRuleSpec(
    int Index,
    IReadOnlyList<string> Subjects,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Tools,
    Verdict Policy);

public sealed record LegacyAclSpec(Verdict Default, IReadOnlyList<LegacyRuleSpec> Rules) : AclSpec;
