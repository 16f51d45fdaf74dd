namespace McpGate.Policy.Evaluation;

public enum Verdict
{
    Allow,
    Deny,
}

/// <summary>The access a request needs: read or write (docs/acl.md, "How a request is decided").</summary>
public enum AccessKind
{
    Read,
    Write,
}

/// <summary>Where the request's access came from: <c>--access</c>, or the tool's classification.</summary>
public enum AccessSource
{
    Explicit,
    Classification,
}

/// <summary>A grant's <c>access</c>: <c>read</c>, <c>write</c> or <c>*</c>.</summary>
public enum GrantAccess
{
    Read,
    Write,
    Any,
}

/// <summary>What a request targets.</summary>
public enum TargetKind
{
    Tool,
    Resource,
    Prompt,
}

/// <summary>Which evaluation step produced a decision; drives the human reason sentence.</summary>
public enum DecisionBasis
{
    /// <summary><c>serverAuth.acl</c> is absent.</summary>
    NoAcl,
    DenyGrant,
    AllowGrant,
    Strict,
    Default,
    LegacyRule,
    LegacyDefault,

    /// <summary>A resource URI that is not a URL (the WHATWG URL parser fails on it): refused, never matched.</summary>
    InvalidUri,
}
