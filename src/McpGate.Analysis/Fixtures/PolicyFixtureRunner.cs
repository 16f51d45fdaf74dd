using McpGate.Analysis.Snapshots;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Fixtures;

/// <summary>
/// Decides each fixture with the config's own evaluator and the classifier, exactly as <c>mcp acl check</c> does,
/// and compares the answer with the expectation.
/// </summary>
public static class PolicyFixtureRunner
{
    /// <param name="surface">The server's tools; null to classify by name and <c>tool_acl</c> only.</param>
    public static FixtureResult Run(PolicyFixture fixture, GateConfig config, UpstreamConfig upstream, UpstreamSurface? surface)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(upstream);

        ToolClassification? classification = null;
        if (fixture.TargetKind == TargetKind.Tool)
        {
            var descriptor = surface is null ? ToolDescriptor.NameOnly(fixture.Target) : surface.FindTool(fixture.Target);

            // A tool the upstream does not list is decided as the gate decides it: unknown, so write.
            classification = descriptor is null ? null : ToolClassifier.ClassifyUncached(upstream.ToolAcl, descriptor);
        }

        var identity = new Identity(fixture.Subject, fixture.Roles, AuthSource.CommandLine);
        var decision = config.Evaluator.Evaluate(identity, fixture.Server, fixture.TargetKind, fixture.Target, classification, fixture.Access);
        var classificationGot = fixture.TargetKind != TargetKind.Tool ? "none" : classification?.Kind.ToWire() ?? "unknown";

        var mismatches = new List<string>();
        if (decision.Verdict != fixture.Expect)
        {
            mismatches.Add($"expected {fixture.Expect.ToWire()}, got {decision.Verdict.ToWire()}");
        }

        if (fixture.Rule is { } rule && !string.Equals(rule, decision.MatchedRule, StringComparison.Ordinal))
        {
            mismatches.Add($"expected rule {rule}, got {decision.MatchedRule}");
        }

        if (fixture.Classification is { } kind && !string.Equals(kind, classificationGot, StringComparison.Ordinal))
        {
            mismatches.Add($"expected classification {kind}, got {classificationGot}");
        }

        return new FixtureResult(fixture, decision, classificationGot, mismatches);
    }
}
