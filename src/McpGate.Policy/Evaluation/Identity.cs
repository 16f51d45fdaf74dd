namespace McpGate.Policy.Evaluation;

/// <summary>Which authentication provider resolved the caller (audit field <c>auth</c>).</summary>
public enum AuthSource
{
    Anonymous,
    Bearer,
    Forwarded,

    /// <summary>A JWT access token from the configured OAuth issuer (issue 16).</summary>
    OAuth,

    /// <summary>Supplied on the command line by <c>mcp acl check</c>; never seen by the gateway.</summary>
    CommandLine,
}

/// <summary>
/// A resolved caller: a subject (null for a hypothetical <c>--role</c>-only check) and the roles the
/// credential itself carries, in the order given. Configured subject roles are merged in by the evaluator.
/// </summary>
public sealed record Identity(string? Subject, IReadOnlyList<string> Roles, AuthSource Auth)
{
    /// <summary>For <see cref="AuthSource.OAuth"/>: the token's issuer (audit field <c>issuer</c>).</summary>
    public string? Issuer { get; init; }

    /// <summary>For <see cref="AuthSource.OAuth"/>: the client the token was issued to (audit field <c>client_id</c>).</summary>
    public string? ClientId { get; init; }

    public static readonly Identity Anonymous = new("anonymous", [], AuthSource.Anonymous);
}
