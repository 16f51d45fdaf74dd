using System.Text;
using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Policy.Tests.Evaluation;

/// <summary>
/// The deciding path must not allocate, whatever the size of the policy (the benchmark measures time; this guards
/// the property that makes the time flat).
/// </summary>
[Trait("Category", "Slow")]
public sealed class ScaleTests
{
    private static readonly Lazy<PolicyEvaluator> s_large = new(() => Policies.Acl(LargeAcl(10_000)));

    [Theory]
    [InlineData("dev", "github", "tool_9999", "read")]
    [InlineData("dev", "github", "tool_5", "write")]
    [InlineData("dev", "github", "not_granted", "read")]
    [InlineData("ops", "sentry", "anything", "unknown")]
    [InlineData("dev", "unconfigured", "tool_1", "read")]
    public void Evaluate_With10000Grants_AllocatesNothing(string role, string server, string tool, string column)
    {
        var evaluator = s_large.Value;
        var identity = Identities.Of("bob", role, "undefined-role");
        var classification = Classified.Named(column);
        evaluator.Evaluate(identity, server, TargetKind.Tool, tool, classification);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            evaluator.Evaluate(identity, server, TargetKind.Tool, tool, classification);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void Evaluate_With10000Grants_FindsTheRightGrant()
    {
        var evaluator = s_large.Value;

        evaluator.Evaluate(Identities.Of("bob", "dev"), "github", TargetKind.Tool, "tool_9999", Classified.Read).MatchedRule.Should().Be("dev[9999]");
        evaluator.Evaluate(Identities.Of("bob", "dev", "no-write"), "github", TargetKind.Tool, "tool_77", Classified.Write).MatchedRule.Should().Be("no-write[0]");
        evaluator.Evaluate(Identities.Of("bob", "dev"), "github", TargetKind.Tool, "absent", Classified.Read).MatchedRule.Should().Be("default");
    }

    [Fact]
    public void LegacyEvaluate_AllocatesNothing()
    {
        var evaluator = Policies.Acl("""{ "default": "deny", "rules": [ { "subjects": ["bob"], "roles": ["dev"], "tools": ["github__list_*"], "policy": "allow" } ] }""");
        var identity = Identities.Of("bob", "dev");
        evaluator.Evaluate(identity, "github", TargetKind.Tool, "list_repos", Classified.Read);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            evaluator.Evaluate(identity, "github", TargetKind.Tool, "list_repos", Classified.Read);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static string LargeAcl(int grants)
    {
        var json = new StringBuilder("""{ "default": "deny", "roles": { "dev": [""");
        for (var i = 0; i < grants; i++)
        {
            json.Append(i == 0 ? string.Empty : ",")
                .Append($$"""{ "server": "{{(i % 2 == 0 ? "github" : "git*")}}", "access": "read", "tools": ["tool_{{i}}"] }""");
        }

        json.Append("""], "no-write": [ { "server": "*", "access": "write", "deny": true } ], "ops": [ { "server": "sentry", "access": "*" } ] } }""");
        return json.ToString();
    }
}
