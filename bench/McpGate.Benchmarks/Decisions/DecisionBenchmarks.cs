using BenchmarkDotNet.Attributes;
using McpGate.Policy.Evaluation;

namespace McpGate.Benchmarks.Decisions;

/// <summary>
/// <c>PolicyEvaluator.Evaluate</c> for one <c>tools/call</c> under policies of 10, 1,000 and 10,000 grants
/// (the "org" shape, see <see cref="PolicyFixtures"/>). Targets: ≤ 1 µs and 0 B at 10,000 grants, within 2× of 10.
/// </summary>
[BenchmarkCategory("decision")]
public class DecisionBenchmarks
{
    private PolicyEvaluator _evaluator = null!;
    private DecisionCase _case = null!;

    [Params(10, 1_000, 10_000)]
    public int Grants { get; set; }

    [Params(PolicyFixtures.Hit, PolicyFixtures.Miss, PolicyFixtures.DenyWins)]
    public string Case { get; set; } = PolicyFixtures.Hit;

    [GlobalSetup]
    public void Setup()
    {
        (_evaluator, _case) = PolicyFixtures.Org(Grants, Case);
        PolicyFixtures.Verify(_evaluator, _case, Case);
    }

    [Benchmark]
    public Decision Decide() =>
        _evaluator.Evaluate(_case.Identity, _case.Server, TargetKind.Tool, _case.Tool, _case.Classification);
}

/// <summary>
/// The worst case the index has to survive: every grant in the caller's one role (see <see cref="PolicyFixtures"/>).
/// Reported, not judged.
/// </summary>
[BenchmarkCategory("decision_one_role")]
public class DecisionOneRoleBenchmarks
{
    private PolicyEvaluator _evaluator = null!;
    private DecisionCase _case = null!;

    [Params(10, 10_000)]
    public int Grants { get; set; }

    [Params(PolicyFixtures.Hit, PolicyFixtures.Miss, PolicyFixtures.DenyWins)]
    public string Case { get; set; } = PolicyFixtures.Hit;

    [GlobalSetup]
    public void Setup()
    {
        (_evaluator, _case) = PolicyFixtures.OneRole(Grants, Case);
        PolicyFixtures.Verify(_evaluator, _case, Case);
    }

    [Benchmark]
    public Decision Decide() =>
        _evaluator.Evaluate(_case.Identity, _case.Server, TargetKind.Tool, _case.Tool, _case.Classification);
}
