using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Policy.Tests.Evaluation;

/// <summary>acl.md §3.1: one Decision carries every field the gate, the audit record and the CLI report.</summary>
public sealed class DecisionFieldsTests
{
    private const string Acl = """
        {
          "default": "deny",
          "roles": { "dev": [ { "server": "*", "access": "read" }, { "server": "github", "access": "write", "tools": ["create_issue"] } ] }
        }
        """;

    [Fact]
    public void AllowViaGrant_FillsEveryField()
    {
        var identity = Identities.Of("alice", "dev");

        var decision = Policies.Acl(Acl).Evaluate(identity, "grafana", TargetKind.Tool, "query_prometheus", Classified.Read);

        decision.Verdict.Should().Be(Verdict.Allow);
        decision.MatchedRule.Should().Be("dev[0]");
        decision.AccessKind.Should().Be(AccessKind.Read);
        decision.AccessSource.Should().Be(AccessSource.Classification);
        decision.GrantAccess.Should().Be(GrantAccess.Read);
        decision.ClassificationKind.Should().Be(ToolKind.Read);
        decision.ClassificationSource.Should().Be(ClassificationSource.Classifier);
        decision.ClassificationConfidence.Should().Be(0.5);
        decision.Basis.Should().Be(DecisionBasis.AllowGrant);
        decision.Identity.Should().BeSameAs(identity);
        decision.Server.Should().Be("grafana");
        decision.TargetKind.Should().Be(TargetKind.Tool);
        decision.Target.Should().Be("query_prometheus");
        decision.Reason.Should().Be("alice may read grafana/query_prometheus via dev[0]");
    }

    [Fact]
    public void UnknownTool_ReportsNullClassificationAndWriteAccess()
    {
        var decision = Policies.Acl(Acl).Evaluate(Identities.Of("alice", "dev"), "github", TargetKind.Tool, "create_pr", classification: null);

        decision.ClassificationKind.Should().BeNull();
        decision.ClassificationSource.Should().BeNull();
        decision.ClassificationConfidence.Should().BeNull();
        decision.AccessKind.Should().Be(AccessKind.Write);
        decision.Reason.Should().Be("alice has no grant covering write on github/create_pr");
    }

    [Fact]
    public void DenyGrant_ReportsTheDenyingGrantAccess()
    {
        var evaluator = Policies.Acl("""{ "roles": { "no-prod": [ { "server": "prod-*", "access": "write", "deny": true } ] } }""");

        var decision = evaluator.Evaluate(Identities.Of("bob", "no-prod"), "prod-db", TargetKind.Tool, "drop_table", Classified.Write);

        decision.Verdict.Should().Be(Verdict.Deny);
        decision.GrantAccess.Should().Be(GrantAccess.Write);
        decision.Reason.Should().Be("bob is denied write on prod-db/drop_table by no-prod[0]");
    }

    [Fact]
    public void DefaultAllow_SaysSoInTheReason()
    {
        var evaluator = Policies.Acl("""{ "default": "allow", "roles": {} }""");

        var decision = evaluator.Evaluate(Identities.Of("bob"), "github", TargetKind.Tool, "x", Classified.Write);

        decision.IsAllowed.Should().BeTrue();
        decision.Reason.Should().Contain("the default is allow");
    }
}
