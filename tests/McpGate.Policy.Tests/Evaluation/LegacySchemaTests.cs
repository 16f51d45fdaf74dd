using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Policy.Tests.Evaluation;

/// <summary>acl.md §2.2: first match wins, tool globs match the namespaced name <c>alias__tool</c>.</summary>
public sealed class LegacySchemaTests
{
    private const string Acl = """
        {
          "default": "deny",
          "rules": [
            { "subjects": ["bob"], "tools": ["github__delete_*"], "policy": "deny" },
            { "subjects": ["bob", "alice"], "tools": ["github__*"], "policy": "allow" },
            { "roles": ["viewer"], "tools": ["sentry__*"], "policy": "allow" },
            { "subjects": ["*"], "roles": ["*"], "tools": ["grafana__list_*"], "policy": "allow" },
            { "tools": ["list_repos"], "policy": "allow" }
          ]
        }
        """;

    [Theory]
    [InlineData("bob", "github", "delete_branch", "deny", "legacy[0]")]
    [InlineData("bob", "github", "list_repos", "allow", "legacy[1]")]
    [InlineData("alice", "github", "delete_branch", "allow", "legacy[1]")]
    [InlineData("carol", "github", "list_repos", "deny", "legacy:default")]
    [InlineData("carol", "grafana", "list_dashboards", "allow", "legacy[3]")]
    public void FirstMatchingRule_Decides(string subject, string server, string tool, string verdict, string rule)
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of(subject), server, TargetKind.Tool, tool, Classified.Read);

        decision.Verdict.ToWire().Should().Be(verdict);
        decision.MatchedRule.Should().Be(rule);
    }

    [Fact]
    public void ToolGlobs_MatchTheNamespacedNameNotTheBareTool()
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of("carol"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("legacy:default", "rule 4 names list_repos without its alias__ prefix");
    }

    [Fact]
    public void NamespacedGlob_MatchesTheBarePrefix()
    {
        var evaluator = Policies.Acl("""{ "default": "deny", "rules": [ { "tools": ["sentry__*"], "policy": "allow" } ] }""");

        evaluator.Evaluate(Identities.Of("x"), "sentry", TargetKind.Tool, string.Empty, null).MatchedRule.Should().Be("legacy[0]");
    }

    [Theory]
    [InlineData("viewer", true)]
    [InlineData("editor", false)]
    public void RuleRoles_MatchAnyOfTheIdentityRoles(string role, bool matches)
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of("carol", "other", role), "sentry", TargetKind.Tool, "list_issues", Classified.Read);

        decision.IsAllowed.Should().Be(matches);
    }

    [Fact]
    public void RuleWithSubjects_DoesNotMatchAHypotheticalIdentityWithoutSubject()
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of(null), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.MatchedRule.Should().Be("legacy:default");
    }

    [Fact]
    public void LongNamespacedNames_AreMatchedToo()
    {
        var tool = "get_" + new string('x', 600);
        var evaluator = Policies.Acl("""{ "default": "deny", "rules": [ { "tools": ["github__get_*x"], "policy": "allow" } ] }""");

        evaluator.Evaluate(Identities.Of("x"), "github", TargetKind.Tool, tool, null).MatchedRule.Should().Be("legacy[0]");
    }

    [Theory]
    [InlineData("allow", TargetKind.Resource, true)]
    [InlineData("deny", TargetKind.Resource, false)]
    [InlineData("allow", TargetKind.Prompt, true)]
    [InlineData("deny", TargetKind.Prompt, false)]
    public void ResourcesAndPrompts_FollowTheDefault(string defaultPolicy, TargetKind kind, bool allowed)
    {
        var evaluator = Policies.Acl($$"""{ "default": "{{defaultPolicy}}", "rules": [ { "tools": ["*"], "policy": "{{(allowed ? "deny" : "allow")}}" } ] }""");

        var decision = evaluator.Evaluate(Identities.Of("bob"), "github", kind, "repo://x", classification: null);

        decision.IsAllowed.Should().Be(allowed);
        decision.MatchedRule.Should().Be("legacy:default");
    }

    [Fact]
    public void EmptyAcl_IsLegacyDefaultAllow()
    {
        var evaluator = Policies.Acl("{}");

        var decision = evaluator.Evaluate(Identities.Of("bob"), "github", TargetKind.Tool, "delete_branch", Classified.Write);

        evaluator.Schema.Should().Be("legacy");
        decision.IsAllowed.Should().BeTrue();
        decision.MatchedRule.Should().Be("legacy:default");
    }

    [Fact]
    public void Classification_IsStillReportedUnderLegacy()
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of("bob"), "github", TargetKind.Tool, "list_repos", Classified.Read);

        decision.Classification.Should().BeSameAs(Classified.Read);
        decision.AccessKind.Should().Be(AccessKind.Read);
        decision.GrantAccess.Should().BeNull();
    }
}
