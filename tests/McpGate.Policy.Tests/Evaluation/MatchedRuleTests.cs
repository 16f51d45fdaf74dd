using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Policy.Tests.Evaluation;

/// <summary>Every <c>matched_rule</c> form of acl.md §3.1, each with the basis that words its reason.</summary>
public sealed class MatchedRuleTests
{
    private const string RoleBased = """
        {
          "default": "deny",
          "roles": {
            "dev": [
              { "server": "grafana", "access": "read" },
              { "server": "github", "access": "write", "tools": ["create_issue"] }
            ],
            "no-prod": [ { "server": "prod-*", "access": "*", "deny": true } ]
          },
          "subjects": {
            "charlie": { "roles": ["dev"], "extra": [ { "server": "sentry", "access": "read" }, { "server": "sentry", "access": "write" } ] }
          }
        }
        """;

    [Fact]
    public void RoleGrant_IsReportedAsRoleAndIndex()
    {
        var decision = Policies.Acl(RoleBased).Evaluate(Identities.Of("bob", "dev"), "github", TargetKind.Tool, "create_issue", Classified.Write);

        decision.MatchedRule.Should().Be("dev[1]");
        decision.Basis.Should().Be(DecisionBasis.AllowGrant);
        decision.Verdict.Should().Be(Verdict.Allow);
    }

    [Fact]
    public void DenyGrant_IsReportedAsRoleAndIndex()
    {
        var decision = Policies.Acl(RoleBased).Evaluate(Identities.Of("bob", "no-prod"), "prod-db", TargetKind.Tool, "query", Classified.Read);

        decision.MatchedRule.Should().Be("no-prod[0]");
        decision.Basis.Should().Be(DecisionBasis.DenyGrant);
        decision.Verdict.Should().Be(Verdict.Deny);
    }

    [Fact]
    public void SubjectExtraGrant_IsReportedAsSubjectExtraAndIndex()
    {
        var decision = Policies.Acl(RoleBased).Evaluate(Identities.Of("charlie"), "sentry", TargetKind.Tool, "resolve_issue", Classified.Write);

        decision.MatchedRule.Should().Be("charlie.extra[1]");
        decision.Verdict.Should().Be(Verdict.Allow);
    }

    [Fact]
    public void NoCoveringGrant_IsReportedAsDefault()
    {
        var decision = Policies.Acl(RoleBased).Evaluate(Identities.Of("bob", "dev"), "github", TargetKind.Tool, "delete_branch", Classified.Write);

        decision.MatchedRule.Should().Be("default");
        decision.Basis.Should().Be(DecisionBasis.Default);
        decision.Verdict.Should().Be(Verdict.Deny);
        decision.GrantAccess.Should().BeNull();
        decision.Reason.Should().Be("bob has no grant covering write on github/delete_branch");
    }

    [Fact]
    public void StrictMode_UncoveredAmbiguousTool_IsReportedAsStrictEvenWhenDefaultAllows()
    {
        var evaluator = Policies.Acl("""{ "default": "allow", "strictClassification": true, "roles": { "dev": [ { "server": "*", "access": "read" } ] } }""");

        var decision = evaluator.Evaluate(Identities.Of("bob", "dev"), "github", TargetKind.Tool, "conversations_mark", Classified.Ambiguous);

        decision.MatchedRule.Should().Be("strict");
        decision.Basis.Should().Be(DecisionBasis.Strict);
        decision.Verdict.Should().Be(Verdict.Deny);
        decision.Reason.Should().Contain("strictClassification");
    }

    [Fact]
    public void StrictMode_UnknownTool_IsDeniedAsStrict()
    {
        var evaluator = Policies.Acl("""{ "default": "allow", "strictClassification": true, "roles": { "admin": [ { "server": "*", "access": "*" } ] } }""");

        var decision = evaluator.Evaluate(Identities.Of("root", "admin"), "github", TargetKind.Tool, "never_listed", classification: null);

        decision.MatchedRule.Should().Be("strict");
        decision.Reason.Should().Contain("unknown tool");
    }

    [Fact]
    public void StrictMode_WithExplicitAccess_StillRefusesAnUncoveredUncertainTool()
    {
        var evaluator = Policies.Acl("""{ "default": "allow", "strictClassification": true, "roles": { "dev": [ { "server": "*", "access": "read" } ] } }""");

        var covered = evaluator.Evaluate(Identities.Of("bob", "dev"), "github", TargetKind.Tool, "mystery", null, AccessKind.Read);
        var uncovered = evaluator.Evaluate(Identities.Of("bob", "dev"), "github", TargetKind.Tool, "mystery", null, AccessKind.Write);

        covered.MatchedRule.Should().Be("dev[0]");
        uncovered.MatchedRule.Should().Be("strict");
        uncovered.AccessSource.Should().Be(AccessSource.Explicit);
    }

    [Fact]
    public void StrictMode_DoesNotApplyToResources()
    {
        var evaluator = Policies.Acl("""{ "default": "allow", "strictClassification": true, "roles": {} }""");

        var decision = evaluator.Evaluate(Identities.Of("bob"), "github", TargetKind.Resource, "repo://x", classification: null);

        decision.MatchedRule.Should().Be("default");
        decision.Verdict.Should().Be(Verdict.Allow);
    }

    [Fact]
    public void LegacyRule_IsReportedAsLegacyIndex()
    {
        var evaluator = Policies.Acl("""{ "default": "deny", "rules": [ { "subjects": ["alice"], "tools": ["x__*"], "policy": "allow" }, { "tools": ["github__*"], "policy": "allow" } ] }""");

        var decision = evaluator.Evaluate(Identities.Of("bob"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("legacy[1]");
        decision.Basis.Should().Be(DecisionBasis.LegacyRule);
    }

    [Fact]
    public void LegacyWithoutMatchingRule_IsReportedAsLegacyDefault()
    {
        var evaluator = Policies.Acl("""{ "default": "deny", "rules": [ { "tools": ["sentry__*"], "policy": "allow" } ] }""");

        var decision = evaluator.Evaluate(Identities.Of("bob"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("legacy:default");
        decision.Basis.Should().Be(DecisionBasis.LegacyDefault);
        decision.Verdict.Should().Be(Verdict.Deny);
    }

    [Fact]
    public void NoAcl_AllowsAsNoAcl()
    {
        var evaluator = Policies.Parse($$"""{ {{Policies.Servers}} }""").Evaluator;

        var decision = evaluator.Evaluate(Identities.Of("anyone"), "github", TargetKind.Tool, "delete_branch", Classified.Write);

        evaluator.Schema.Should().Be("none");
        decision.MatchedRule.Should().Be("no-acl");
        decision.Basis.Should().Be(DecisionBasis.NoAcl);
        decision.Verdict.Should().Be(Verdict.Allow);
    }
}
