using McpGate.Policy.Classification;

namespace McpGate.Policy.Evaluation;

/// <summary>Formats a <see cref="Decision"/>'s human sentence on demand (never on the deciding path).</summary>
internal static class DecisionReason
{
    public static string Format(in Decision decision)
    {
        var who = decision.Identity.Subject ?? "this identity";
        var access = decision.AccessKind.ToWire();
        var what = $"{decision.Server}/{decision.Target}";
        return decision.Basis switch
        {
            DecisionBasis.NoAcl => $"no ACL is configured, so {who} may {access} {what}",
            DecisionBasis.DenyGrant => $"{who} is denied {access} on {what} by {decision.MatchedRule}",
            DecisionBasis.AllowGrant => $"{who} may {access} {what} via {decision.MatchedRule}",
            DecisionBasis.Strict => $"{what} is {DescribeUncertainty(decision.Classification)} and strictClassification denies it",
            DecisionBasis.Default when decision.IsAllowed => $"no grant covers {access} on {what} for {who}; the default is allow",
            DecisionBasis.Default => $"{who} has no grant covering {access} on {what}",
            DecisionBasis.InvalidUri => $"{what} is not a URL an upstream can read (the WHATWG URL parser rejects it), so it is refused",
            DecisionBasis.LegacyRule => $"{decision.MatchedRule} {(decision.IsAllowed ? "allows" : "denies")} {who} on {decision.Server}__{decision.Target}",
            _ => $"no legacy rule matches {decision.Server}__{decision.Target}; the default is {decision.Verdict.ToWire()}",
        };
    }

    private static string DescribeUncertainty(ToolClassification? classification) =>
        classification is null ? "an unknown tool" : $"classified {classification.Kind.ToWire()}";
}
