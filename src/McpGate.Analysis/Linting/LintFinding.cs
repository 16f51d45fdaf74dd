namespace McpGate.Analysis.Linting;

public enum LintSeverity
{
    Warning,
    Error,
}

/// <summary>
/// One finding of <c>mcp acl lint</c>: a stable <see cref="Code"/> scripts may match on, where it is in the config
/// (JSON path, and line and column when the file still has them), what is wrong and how to fix it.
/// </summary>
public sealed record LintFinding(string Code, LintSeverity Severity, string JsonPath, string Message, string Fix)
{
    public int? Line { get; init; }

    public int? Column { get; init; }
}

/// <summary>The stable finding codes (docs/policy-ci.md lists each with an example).</summary>
internal static class LintCodes
{
    public const string GrantShadowedByDeny = "grant-shadowed-by-deny";
    public const string PatternMatchesNothing = "pattern-matches-nothing";
    public const string RoleUnused = "role-unused";
    public const string RoleUndefined = "role-undefined";
    public const string AmbiguousWritable = "ambiguous-writable";
    public const string PlaintextToken = "plaintext-token";
    public const string DuplicateGrant = "duplicate-grant";
    public const string DefaultAllow = "default-allow";

    public static readonly IReadOnlyList<string> All =
    [
        GrantShadowedByDeny, PatternMatchesNothing, RoleUnused, RoleUndefined, AmbiguousWritable, PlaintextToken, DuplicateGrant, DefaultAllow,
    ];

    /// <summary>Dangerous is an error; dead or redundant is a warning.</summary>
    public static LintSeverity SeverityOf(string code) => code switch
    {
        RoleUndefined or PlaintextToken or DefaultAllow => LintSeverity.Error,
        _ => LintSeverity.Warning,
    };
}
