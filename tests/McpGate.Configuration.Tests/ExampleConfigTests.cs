using System.Security.Cryptography;
using System.Text;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary>servers.example.json at the repository root is the file the README and demos point at: it must load and decide as documented.</summary>
public sealed class ExampleConfigTests
{
    private static readonly Lazy<GateConfig> s_example = new(() => ConfigLoader.Load(Path.Combine(RepositoryFiles.Root, "servers.example.json")));

    [Fact]
    public void ExampleConfig_LoadsWithTheFourUpstreams()
    {
        var config = s_example.Value;

        config.Servers.Keys.Should().Equal("github", "grafana", "databricks", "sentry", "files");
        config.Servers["files"].Command.Should().Be("dotnet");
        config.Servers["grafana"].Url.Should().Be(new Uri("http://127.0.0.1:3102/mcp"));
        config.Evaluator.Schema.Should().Be("role-based");
        config.Gateway.Listen.ToString().Should().Be("127.0.0.1:8080");
        config.Gateway.Audit.Path.Should().Be("./audit/mcpgate-.jsonl");
        config.Auth.Providers.Should().Equal(AuthProviderKind.Bearer);
    }

    [Fact]
    public void ExampleConfig_AliceMayQueryPrometheusViaDevRead()
    {
        var decision = s_example.Value.Evaluator.Evaluate(
            new Identity("alice", [], AuthSource.CommandLine), "grafana", TargetKind.Tool, "query_prometheus", Classified.Read);

        decision.Verdict.Should().Be(Verdict.Allow);
        decision.MatchedRule.Should().Be("dev[0]");
        decision.GrantAccess.Should().Be(GrantAccess.Read);
    }

    [Fact]
    public void ExampleConfig_BobMayNotExecuteSqlOnDatabricks()
    {
        var config = s_example.Value;
        var overrides = config.Servers["databricks"].ToolAcl;
        overrides.Write.IsMatch("execute_sql").Should().BeTrue();
        overrides.Read.IsMatch("execute_sql").Should().BeFalse();

        var decision = config.Evaluator.Evaluate(
            new Identity("bob", [], AuthSource.CommandLine), "databricks", TargetKind.Tool, "execute_sql", Classified.Write);

        decision.Verdict.Should().Be(Verdict.Deny);
        decision.MatchedRule.Should().Be("default");
    }

    [Fact]
    public void ExampleConfig_NoProdDenyBeatsCharliesExtraGrant()
    {
        var evaluator = s_example.Value.Evaluator;
        var charlie = new Identity("charlie", [], AuthSource.CommandLine);

        var write = evaluator.Evaluate(charlie, "databricks", TargetKind.Tool, "run_job", Classified.Write);
        var read = evaluator.Evaluate(charlie, "databricks", TargetKind.Tool, "list_warehouses", Classified.Read);
        var resolve = evaluator.Evaluate(charlie, "sentry", TargetKind.Tool, "resolve_issue", Classified.Write);

        write.MatchedRule.Should().Be("no-prod[0]");
        write.Verdict.Should().Be(Verdict.Deny);
        read.MatchedRule.Should().Be("readonly[0]");
        resolve.MatchedRule.Should().Be("charlie.extra[0]");
    }

    [Theory]
    [InlineData("alice-demo-token", "alice")]
    [InlineData("bob-demo-token", "bob")]
    [InlineData("charlie-demo-token", "charlie")]
    [InlineData("admin-demo-token", "ops-admin")]
    public void ExampleConfig_DemoTokensMapToTheirSubjects(string token, string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));

        var entry = s_example.Value.Auth.BearerTokens.Single(t => t.Sha256.AsSpan().SequenceEqual(hash));

        entry.Subject.Should().Be(subject);
    }

    [Fact]
    public void ExampleConfig_GithubHeaderFallsBackToTheDemoUpstreamToken()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "servers.example.json"));

        var config = ConfigLoader.Parse(text, "servers.example.json", _ => null);

        config.Servers["github"].Headers["Authorization"].Should().Be("Bearer demo-upstream-token");
    }
}
