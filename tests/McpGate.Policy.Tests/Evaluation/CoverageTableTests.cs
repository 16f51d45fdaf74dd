using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Policy.Tests.Evaluation;

/// <summary>
/// acl.md §3's coverage table, cell by cell. Each request is judged against one grant <c>r[0]</c>: the grant
/// covers the request exactly when the decision's matched_rule is <c>r[0]</c>. Columns: read/write/ambiguous/unknown
/// come from the classification; "explicit-read"/"explicit-write" pass <c>--access</c> (on an ambiguous tool, so the
/// explicit access visibly replaces the classification column).
/// </summary>
public sealed class CoverageTableTests
{
    [Theory]
    [InlineData("read", false, true)]
    [InlineData("write", false, false)]
    [InlineData("ambiguous", false, false)]
    [InlineData("unknown", false, false)]
    [InlineData("read", true, true)]
    [InlineData("write", true, false)]
    [InlineData("ambiguous", true, false)]
    [InlineData("unknown", true, false)]
    [InlineData("explicit-read", false, true)]
    [InlineData("explicit-write", false, false)]
    [InlineData("explicit-read", true, true)]
    public void AllowRead_CoversOnlyReadTools(string column, bool strict, bool covers)
    {
        Covers("read", deny: false, column, strict).Should().Be(covers);
    }

    [Theory]
    [InlineData("read", false, false)]
    [InlineData("write", false, true)]
    [InlineData("ambiguous", false, true)]
    [InlineData("unknown", false, false)]
    [InlineData("read", true, false)]
    [InlineData("write", true, true)]
    [InlineData("ambiguous", true, false)]
    [InlineData("unknown", true, false)]
    [InlineData("explicit-read", false, false)]
    [InlineData("explicit-write", false, true)]
    [InlineData("explicit-write", true, true)]
    public void AllowWrite_CoversWriteAndAmbiguousButNotUnknownTools(string column, bool strict, bool covers)
    {
        Covers("write", deny: false, column, strict).Should().Be(covers);
    }

    [Theory]
    [InlineData("read", false, true)]
    [InlineData("write", false, true)]
    [InlineData("ambiguous", false, true)]
    [InlineData("unknown", false, true)]
    [InlineData("read", true, true)]
    [InlineData("write", true, true)]
    [InlineData("ambiguous", true, false)]
    [InlineData("unknown", true, false)]
    [InlineData("explicit-read", true, true)]
    [InlineData("explicit-write", true, true)]
    public void AllowAny_CoversEverythingExceptUncertainToolsWhenStrict(string column, bool strict, bool covers)
    {
        Covers("*", deny: false, column, strict).Should().Be(covers);
    }

    [Theory]
    [InlineData("read", false, true)]
    [InlineData("write", false, false)]
    [InlineData("ambiguous", false, false)]
    [InlineData("unknown", false, false)]
    [InlineData("read", true, true)]
    [InlineData("write", true, false)]
    [InlineData("ambiguous", true, true)]
    [InlineData("unknown", true, false)]
    [InlineData("explicit-read", false, true)]
    [InlineData("explicit-write", false, false)]
    [InlineData("explicit-write", true, false)]
    public void DenyRead_FiresOnReadToolsAndOnAmbiguousWhenStrict(string column, bool strict, bool fires)
    {
        Covers("read", deny: true, column, strict).Should().Be(fires);
    }

    [Theory]
    [InlineData("read", false, false)]
    [InlineData("write", false, true)]
    [InlineData("ambiguous", false, true)]
    [InlineData("unknown", false, true)]
    [InlineData("read", true, false)]
    [InlineData("write", true, true)]
    [InlineData("ambiguous", true, true)]
    [InlineData("unknown", true, true)]
    [InlineData("explicit-read", false, false)]
    [InlineData("explicit-write", false, true)]
    public void DenyWrite_FiresOnEverythingThatIsNotRead(string column, bool strict, bool fires)
    {
        Covers("write", deny: true, column, strict).Should().Be(fires);
    }

    [Theory]
    [InlineData("read", false)]
    [InlineData("write", false)]
    [InlineData("ambiguous", false)]
    [InlineData("unknown", false)]
    [InlineData("read", true)]
    [InlineData("write", true)]
    [InlineData("ambiguous", true)]
    [InlineData("unknown", true)]
    [InlineData("explicit-read", false)]
    [InlineData("explicit-write", true)]
    public void DenyAny_FiresOnEveryColumn(string column, bool strict)
    {
        Covers("*", deny: true, column, strict).Should().BeTrue();
    }

    [Theory]
    [InlineData("ambiguous", "write")]
    [InlineData("unknown", "write")]
    [InlineData("read", "read")]
    [InlineData("write", "write")]
    [InlineData("explicit-read", "read")]
    [InlineData("explicit-write", "write")]
    public void EffectiveAccess_FollowsClassificationOrExplicitAccess(string column, string expectedAccess)
    {
        var decision = Decide("*", deny: false, column, strict: false);

        decision.AccessKind.ToWire().Should().Be(expectedAccess);
        decision.AccessSource.Should().Be(column.StartsWith("explicit", StringComparison.Ordinal) ? AccessSource.Explicit : AccessSource.Classification);
    }

    private static bool Covers(string access, bool deny, string column, bool strict)
    {
        var decision = Decide(access, deny, column, strict);
        var covered = decision.MatchedRule == "r[0]";
        if (covered)
        {
            decision.Verdict.Should().Be(deny ? Verdict.Deny : Verdict.Allow);
            decision.GrantAccess!.Value.ToWire().Should().Be(access);
        }

        return covered;
    }

    private static Decision Decide(string access, bool deny, string column, bool strict)
    {
        var evaluator = Policies.Acl($$"""
            {
              "default": "{{(deny ? "allow" : "deny")}}",
              "strictClassification": {{(strict ? "true" : "false")}},
              "roles": { "r": [ { "server": "*", "access": "{{access}}", "deny": {{(deny ? "true" : "false")}} } ] }
            }
            """);
        var (classification, explicitAccess) = column switch
        {
            "explicit-read" => (Classified.Ambiguous, AccessKind.Read),
            "explicit-write" => (Classified.Ambiguous, AccessKind.Write),
            _ => (Classified.Named(column), (AccessKind?)null),
        };

        return evaluator.Evaluate(Identities.Of("bob", "r"), "github", TargetKind.Tool, "some_tool", classification, explicitAccess);
    }
}
