using McpGate.Configuration.Loading;
using McpGate.Policy.Evaluation;
using McpGate.Policy.Evaluation.Compiled;

namespace McpGate.Analysis.Linting;

/// <summary>
/// A grant as the linter sees it: the validated spec, its compiled form (the evaluator's own coverage logic), its
/// JSON path, and the source it belongs to (a role, or a subject's extras).
/// </summary>
internal sealed class LintGrant
{
    private LintGrant(GrantSpec spec, string path, string sourceName, string? subject)
    {
        Spec = spec;
        Compiled = new CompiledGrant(spec);
        Path = path;
        SourceName = sourceName;
        Subject = subject;
    }

    public GrantSpec Spec { get; }

    public CompiledGrant Compiled { get; }

    public string Path { get; }

    /// <summary>The role name, or <c>&lt;subject&gt;.extra</c>.</summary>
    public string SourceName { get; }

    /// <summary>Set for a subject's extra grant.</summary>
    public string? Subject { get; }

    public static List<LintGrant> All(RoleBasedAclSpec acl)
    {
        var grants = new List<LintGrant>();
        var rolesPath = JsonPaths.Property(PolicyLinter.AclPath, "roles");
        foreach (var role in acl.Roles)
        {
            var rolePath = JsonPaths.Property(rolesPath, role.Name);
            grants.AddRange(role.Grants.Select(g => new LintGrant(g, JsonPaths.Index(rolePath, g.Index), role.Name, null)));
        }

        var subjectsPath = JsonPaths.Property(PolicyLinter.AclPath, "subjects");
        foreach (var subject in acl.Subjects)
        {
            var extraPath = JsonPaths.Property(JsonPaths.Property(subjectsPath, subject.Name), "extra");
            grants.AddRange(subject.Extra.Select(g => new LintGrant(g, JsonPaths.Index(extraPath, g.Index), subject.Name + ".extra", subject.Name)));
        }

        return grants;
    }

    public IReadOnlyList<string>? Patterns(TargetKind kind) => kind switch
    {
        TargetKind.Tool => Spec.Tools,
        TargetKind.Resource => Spec.Resources,
        _ => Spec.Prompts,
    };

    public static string KeyOf(TargetKind kind) => kind switch
    {
        TargetKind.Tool => "tools",
        TargetKind.Resource => "resources",
        _ => "prompts",
    };
}
