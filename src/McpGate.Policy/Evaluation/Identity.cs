namespace McpGate.Policy.Evaluation;

/// <summary>Which authentication provider resolved the caller (audit field <c>auth</c>).</summary>
public enum AuthSource
{
    Anonymous,
    Bearer,
    Forwarded,

    /// <summary>Supplied on the command line by <c>mcp acl check</c>; never seen by the gateway.</summary>
    CommandLine,
}

/// <summary>
/// A resolved caller: a subject (null for a hypothetical <c>--role</c>-only check) and the roles the
/// credential itself carries, in the order given. Configured subject roles are merged in by the evaluator.
/// </summary>
public sealed record Identity(string? Subject, IReadOnlyList<string> Roles, AuthSource Auth)
{
    public static readonly Identity Anonymous = new("anonymous", [], AuthSource.Anonymous);
}
