using System.Collections.ObjectModel;
using McpGate.Policy.Resources;

namespace McpGate.Policy.Evaluation.Compiled;

/// <summary>
/// Rewrites every grant's <c>resources</c> globs to their canonical form (<see cref="ResourcePattern"/>) before the
/// grants are compiled, so a pattern and a request URI are always compared in the same reading.
/// </summary>
internal static class ResourceGrantPatterns
{
    /// <exception cref="ResourcePatternException">A pattern has a scheme but cannot be canonicalised.</exception>
    public static RoleBasedAclSpec Canonicalize(RoleBasedAclSpec spec)
    {
        var errors = new List<ResourcePatternError>();
        var roles = spec.Roles
            .Select(role => role with { Grants = Grants(role.Grants, GrantOwner.Role, role.Name, errors) })
            .ToList();
        var subjects = spec.Subjects
            .Select(subject => subject with { Extra = Grants(subject.Extra, GrantOwner.SubjectExtra, subject.Name, errors) })
            .ToList();
        if (errors.Count > 0)
        {
            throw new ResourcePatternException(errors);
        }

        return spec with { Roles = roles, Subjects = subjects };
    }

    private static ReadOnlyCollection<GrantSpec> Grants(
        IReadOnlyList<GrantSpec> grants, GrantOwner owner, string name, List<ResourcePatternError> errors)
    {
        var result = new List<GrantSpec>(grants.Count);
        foreach (var grant in grants)
        {
            if (grant.Resources is not { } patterns)
            {
                result.Add(grant);
                continue;
            }

            var canonical = new List<string>(patterns.Count);
            for (var i = 0; i < patterns.Count; i++)
            {
                if (ResourcePattern.Canonicalize(patterns[i], out var problem, out var fix) is { } pattern)
                {
                    canonical.Add(pattern);
                }
                else
                {
                    errors.Add(new ResourcePatternError(owner, name, grant.Index, i, problem!, fix!));
                }
            }

            result.Add(grant with { Resources = canonical.AsReadOnly() });
        }

        return result.AsReadOnly();
    }
}

public enum GrantOwner
{
    /// <summary>A grant of <c>roles.&lt;name&gt;</c>.</summary>
    Role,

    /// <summary>A grant of <c>subjects.&lt;name&gt;.extra</c>.</summary>
    SubjectExtra,
}

/// <summary>One refused resource pattern: where it is (for the loader's JSON path), what is wrong and the fix.</summary>
public sealed record ResourcePatternError(GrantOwner Owner, string Name, int GrantIndex, int PatternIndex, string Message, string Fix);

/// <summary>Thrown while compiling an ACL whose resource patterns cannot be canonicalised; the loader reports each as a config error.</summary>
public sealed class ResourcePatternException(IReadOnlyList<ResourcePatternError> errors)
    : Exception($"{errors.Count} resource pattern(s) cannot be read as URLs")
{
    public IReadOnlyList<ResourcePatternError> Errors { get; } = errors;
}
