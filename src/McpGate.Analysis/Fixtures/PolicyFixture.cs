using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Fixtures;

/// <summary>
/// One expectation of an <c>mcp acl test</c> file: who asks for what, and what the policy must answer.
/// <see cref="Rule"/> and <see cref="Classification"/> are asserted only when set.
/// </summary>
public sealed record PolicyFixture
{
    public required string File { get; init; }

    /// <summary>Where the case is, e.g. <c>$.tests[3]</c>, and its line, for the failure line.</summary>
    public required string JsonPath { get; init; }

    public int? Line { get; init; }

    public required string Name { get; init; }

    public string? Subject { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public required string Server { get; init; }

    public required TargetKind TargetKind { get; init; }

    public required string Target { get; init; }

    public AccessKind? Access { get; init; }

    public required Verdict Expect { get; init; }

    /// <summary>The expected <c>matched_rule</c>.</summary>
    public string? Rule { get; init; }

    /// <summary>The expected classification kind: <c>read</c>, <c>write</c>, <c>ambiguous</c> or <c>unknown</c>.</summary>
    public string? Classification { get; init; }
}

/// <summary>What the policy answered for one <see cref="PolicyFixture"/>, and each way it differs from the expectation.</summary>
public sealed record FixtureResult(PolicyFixture Fixture, Decision Decision, string ClassificationGot, IReadOnlyList<string> Mismatches)
{
    public bool Passed => Mismatches.Count == 0;
}
