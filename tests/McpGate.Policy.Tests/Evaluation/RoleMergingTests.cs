using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Policy.Tests.Evaluation;

/// <summary>acl.md §3 step 1: which roles are evaluated, in which order, and what that order may change.</summary>
public sealed class RoleMergingTests
{
    private const string Acl = """
        {
          "default": "deny",
          "roles": {
            "a": [ { "server": "github", "access": "read" } ],
            "b": [ { "server": "github", "access": "*" } ],
            "c": [ { "server": "github", "access": "write", "deny": true } ],
            "d": [ { "server": "grafana", "access": "read" }, { "server": "github", "access": "read" }, { "server": "github", "access": "*" } ]
          },
          "subjects": {
            "bob": { "roles": ["a", "b"], "extra": [ { "server": "github", "access": "*" } ] },
            "carol": { "roles": ["b"] }
          }
        }
        """;

    [Fact]
    public void IdentityRoles_ComeBeforeSubjectConfiguredRoles()
    {
        var evaluator = Policies.Acl(Acl);

        var decision = evaluator.Evaluate(Identities.Of("bob", "b"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("b[0]");
        evaluator.EffectiveRoles(Identities.Of("bob", "b")).Should().Equal("b", "a");
    }

    [Fact]
    public void SubjectConfiguredRoles_AreUsedWhenTheCredentialCarriesNone()
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of("bob"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("a[0]");
    }

    [Fact]
    public void SubjectExtras_ComeAfterAllRoles()
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of("bob"), "github", TargetKind.Tool, "merge_pull_request", Classified.Write);

        decision.MatchedRule.Should().Be("b[0]");
    }

    [Fact]
    public void GrantsInsideOneRole_AreTakenInIndexOrder()
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of(null, "d"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("d[1]");
    }

    [Fact]
    public void UndefinedIdentityRoles_AreIgnored()
    {
        var evaluator = Policies.Acl(Acl);
        var identity = Identities.Of("zed", "ghost", "a", "a");

        var decision = evaluator.Evaluate(identity, "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("a[0]");
        evaluator.EffectiveRoles(identity).Should().Equal("a");
        evaluator.IsRoleDefined("ghost").Should().BeFalse();
    }

    [Fact]
    public void EffectiveRoles_WithoutSubject_AreTheCredentialRolesDeduplicated()
    {
        Policies.Acl(Acl).EffectiveRoles(Identities.Of(null, "b", "a", "b")).Should().Equal("b", "a");
    }

    [Theory]
    [InlineData("a", "c")]
    [InlineData("c", "a")]
    [InlineData("b", "c")]
    [InlineData("c", "b")]
    public void DenyGrant_WinsWhateverTheRoleOrder(string first, string second)
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of(null, first, second), "github", TargetKind.Tool, "delete_branch", Classified.Write);

        decision.Verdict.Should().Be(Verdict.Deny);
        decision.MatchedRule.Should().Be("c[0]");
    }

    [Fact]
    public void DenyFromSubjectRole_BeatsAllowFromCredentialRole()
    {
        var evaluator = Policies.Acl("""
            {
              "roles": { "admin": [ { "server": "*", "access": "*" } ], "no-gh": [ { "server": "github", "access": "*", "deny": true } ] },
              "subjects": { "eve": { "roles": ["no-gh"] } }
            }
            """);

        var decision = evaluator.Evaluate(Identities.Of("eve", "admin"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.Verdict.Should().Be(Verdict.Deny);
        decision.MatchedRule.Should().Be("no-gh[0]");
    }

    [Fact]
    public void RoleOrder_ChangesOnlyTheReportedGrant()
    {
        var evaluator = Policies.Acl(Acl);

        var ab = evaluator.Evaluate(Identities.Of(null, "a", "b"), "github", TargetKind.Tool, "list_repos", Classified.Read);
        var ba = evaluator.Evaluate(Identities.Of(null, "b", "a"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        ab.Verdict.Should().Be(Verdict.Allow);
        ba.Verdict.Should().Be(Verdict.Allow);
        ab.MatchedRule.Should().Be("a[0]");
        ba.MatchedRule.Should().Be("b[0]");
    }

    [Fact]
    public void Outcome_NeverDependsOnRoleOrder()
    {
        var evaluator = Policies.Acl(Acl);
        string[] roles = ["a", "b", "c", "d"];
        var requests = new (string Server, string Tool, ToolClassification? Classification)[]
        {
            ("github", "list_repos", Classified.Read),
            ("github", "delete_branch", Classified.Write),
            ("github", "conversations_mark", Classified.Ambiguous),
            ("github", "never_listed", null),
            ("grafana", "query_prometheus", Classified.Read),
            ("grafana", "update_dashboard", Classified.Write),
        };

        foreach (var (server, tool, classification) in requests)
        {
            var verdicts = Permutations(roles)
                .Select(order => evaluator.Evaluate(Identities.Of(null, order), server, TargetKind.Tool, tool, classification).Verdict)
                .Distinct()
                .ToList();

            verdicts.Should().ContainSingle($"the verdict on {server}/{tool} must not depend on role order");
        }
    }

    private static IEnumerable<string[]> Permutations(string[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }
}
