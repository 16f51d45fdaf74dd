using McpGate.Policy.Classification;

namespace McpGate.Policy.Evaluation;

/// <summary>
/// The one value (docs/acl.md, "The decision") computed once by <see cref="PolicyEvaluator"/> and threaded unchanged
/// into the gate's response, the audit record and the CLI. A struct of references that already exist, so deciding
/// allocates nothing; <see cref="Reason"/> is formatted only when someone reads it.
/// </summary>
public readonly record struct Decision(
    Verdict Verdict,
    string MatchedRule,
    AccessKind AccessKind,
    AccessSource AccessSource,
    GrantAccess? GrantAccess,
    ToolClassification? Classification,
    DecisionBasis Basis,
    Identity Identity,
    string Server,
    TargetKind TargetKind,
    string Target)
{
    public bool IsAllowed => Verdict == Verdict.Allow;

    public ToolKind? ClassificationKind => Classification?.Kind;

    public ClassificationSource? ClassificationSource => Classification?.Source;

    public double? ClassificationConfidence => Classification?.Confidence;

    /// <summary>One human sentence, e.g. <c>bob has no grant covering write on github/create_pr</c>.</summary>
    public string Reason => DecisionReason.Format(this);
}
