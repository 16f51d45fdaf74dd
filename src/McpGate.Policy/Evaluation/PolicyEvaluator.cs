using McpGate.Policy.Classification;

namespace McpGate.Policy.Evaluation;

/// <summary>
/// Decides requests under one compiled ACL (acl.md §3). Thread-safe and allocation-free per decision.
/// </summary>
public sealed class PolicyEvaluator
{
    /// <summary>Which ACL schema was loaded: <c>none</c>, <c>role-based</c> or <c>legacy</c>.</summary>
    public string Schema => throw new NotImplementedException();

    public Decision Evaluate(
        Identity identity,
        string server,
        TargetKind targetKind,
        string target,
        ToolClassification? classification,
        AccessKind? explicitAccess = null) => throw new NotImplementedException();

    /// <summary>The identity's roles then the subject's configured roles not already present (acl.md §3 step 1).</summary>
    public IReadOnlyList<string> EffectiveRoles(Identity identity) => throw new NotImplementedException();
}
