using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Policy.Tests.Evaluation;

/// <summary>acl.md §3 step 2: which grants apply to a server and target, for tools, resources and prompts.</summary>
public sealed class TargetFilteringTests
{
    private const string Acl = """
        {
          "default": "deny",
          "roles": {
            "everything": [ { "server": "github", "access": "read" } ],
            "tools-only": [ { "server": "github", "access": "*", "tools": ["list_*", "get_file_contents"] } ],
            "resources-only": [ { "server": "github", "access": "read", "resources": ["repo://mcpgate/*"] } ],
            "prompts-only": [ { "server": "github", "access": "read", "prompts": ["summarize_issue"] } ],
            "servers": [ { "server": ["graf*", "sentry"], "access": "read" } ],
            "writer": [ { "server": "github", "access": "write" } ]
          }
        }
        """;

    [Theory]
    [InlineData(TargetKind.Tool, "list_repos")]
    [InlineData(TargetKind.Resource, "repo://mcpgate/README.md")]
    [InlineData(TargetKind.Prompt, "summarize_issue")]
    public void GrantListingNoTargets_CoversEveryKind(TargetKind kind, string target)
    {
        Decide("everything", "github", kind, target).MatchedRule.Should().Be("everything[0]");
    }

    [Theory]
    [InlineData(TargetKind.Tool, "list_repos", true)]
    [InlineData(TargetKind.Tool, "get_file_contents", true)]
    [InlineData(TargetKind.Tool, "get_file", false)]
    [InlineData(TargetKind.Tool, "search_issues", false)]
    [InlineData(TargetKind.Resource, "repo://mcpgate/README.md", false)]
    [InlineData(TargetKind.Prompt, "summarize_issue", false)]
    public void GrantListingTools_CoversOnlyMatchingTools(TargetKind kind, string target, bool covered)
    {
        Decide("tools-only", "github", kind, target).IsAllowed.Should().Be(covered);
    }

    [Theory]
    [InlineData(TargetKind.Resource, "repo://mcpgate/README.md", true)]
    [InlineData(TargetKind.Resource, "repo://other/README.md", false)]
    [InlineData(TargetKind.Tool, "list_repos", false)]
    [InlineData(TargetKind.Prompt, "summarize_issue", false)]
    public void GrantListingOnlyResources_DoesNotCoverTools(TargetKind kind, string target, bool covered)
    {
        Decide("resources-only", "github", kind, target).IsAllowed.Should().Be(covered);
    }

    [Theory]
    [InlineData(TargetKind.Prompt, "summarize_issue", true)]
    [InlineData(TargetKind.Prompt, "summarize_pr", false)]
    [InlineData(TargetKind.Tool, "summarize_issue", false)]
    public void GrantListingOnlyPrompts_CoversOnlyThosePrompts(TargetKind kind, string target, bool covered)
    {
        Decide("prompts-only", "github", kind, target).IsAllowed.Should().Be(covered);
    }

    [Theory]
    [InlineData("grafana", true)]
    [InlineData("sentry", true)]
    [InlineData("github", false)]
    [InlineData("sentry-eu", false)]
    public void ServerGlobList_CoversMatchingAliasesOnly(string server, bool covered)
    {
        Decide("servers", server, TargetKind.Tool, "list_issues").IsAllowed.Should().Be(covered);
    }

    [Theory]
    [InlineData(TargetKind.Resource)]
    [InlineData(TargetKind.Prompt)]
    public void ResourcesAndPrompts_AreAlwaysRead(TargetKind kind)
    {
        var evaluator = Policies.Acl(Acl);
        var target = kind == TargetKind.Resource ? "repo://x" : "x";

        var write = evaluator.Evaluate(Identities.Of(null, "writer"), "github", kind, target, Classified.Write, AccessKind.Write);
        var read = evaluator.Evaluate(Identities.Of(null, "everything"), "github", kind, target, classification: null, AccessKind.Write);

        write.IsAllowed.Should().BeFalse("a write grant does not cover reading");
        write.AccessKind.Should().Be(AccessKind.Read);
        read.IsAllowed.Should().BeTrue();
        read.AccessKind.Should().Be(AccessKind.Read);
        read.AccessSource.Should().Be(AccessSource.Classification);
    }

    [Theory]
    [InlineData("everything", "github", TargetKind.Tool, "list_repos")]
    [InlineData("tools-only", "github", TargetKind.Tool, "list_repos")]
    [InlineData("tools-only", "github", TargetKind.Tool, "create_issue")]
    [InlineData("resources-only", "github", TargetKind.Resource, "repo://mcpgate/a")]
    [InlineData("servers", "grafana", TargetKind.Tool, "query")]
    [InlineData("servers", "sentry-eu", TargetKind.Tool, "query")]
    [InlineData("writer", "github", TargetKind.Tool, "list_repos")]
    public void UnconfiguredAlias_IsDecidedLikeAConfiguredOne(string role, string server, TargetKind kind, string target)
    {
        var indexed = Policies.Acl(Acl).Evaluate(Identities.Of(null, role), server, kind, target, Classified.Read);
        var scanned = Policies.AclWithoutAliases(Acl).Evaluate(Identities.Of(null, role), server, kind, target, Classified.Read);

        scanned.Verdict.Should().Be(indexed.Verdict);
        scanned.MatchedRule.Should().Be(indexed.MatchedRule);
    }

    private static Decision Decide(string role, string server, TargetKind kind, string target) =>
        Policies.Acl(Acl).Evaluate(Identities.Of(null, role), server, kind, target, Classified.Read);
}
