using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using McpGate.Policy.RateLimits;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary><c>gateway.rateLimits</c>: read into rules, and refused with file, JSON path and fix when wrong.</summary>
public sealed class RateLimitsConfigTests
{
    private static IReadOnlyList<RateLimitRule> Rules(string rateLimits) =>
        Policies.Parse($$"""{ "mcpServers": {}, "gateway": { "rateLimits": {{rateLimits}} } }""").Gateway.RateLimits;

    [Fact]
    public void NoRateLimits_LimitsNothing()
    {
        Policies.Parse("""{ "mcpServers": {} }""").Gateway.RateLimits.Should().BeEmpty();
    }

    [Fact]
    public void TheIssueShape_IsReadAsOneRule()
    {
        var rule = Rules("""[ { "roles": ["dev"], "server": "prod-*", "access": "write", "limit": 30, "per": "1m" } ]""").Should().ContainSingle().Which;

        rule.Name.Should().Be("rateLimits[0]");
        rule.Roles.Should().Equal("dev");
        rule.Server.Pattern.Should().Be("prod-*");
        rule.Tool.Pattern.Should().Be("*");
        rule.Access.Should().Be(AccessKind.Write);
        rule.Limit.Should().Be(30);
        rule.Per.Should().Be(TimeSpan.FromMinutes(1));
        rule.Describe().Should().Be("30 per 1m");
    }

    [Fact]
    public void Rule_AppliesByRoleSubjectServerToolAndAccess()
    {
        var rules = Rules("""
            [
              { "name": "dev-writes", "roles": ["dev"], "server": "prod-*", "access": "write", "limit": 30, "per": "1m" },
              { "subjects": "*", "tool": "search_*", "limit": 5, "per": "10s" },
              { "subjects": ["bob"], "access": "*", "limit": 1, "per": "1d" }
            ]
            """);

        rules[0].AppliesTo("alice", ["dev"], "prod-eu", "create_pr", AccessKind.Write).Should().BeTrue();
        rules[0].AppliesTo("alice", ["dev"], "prod-eu", "get_pr", AccessKind.Read).Should().BeFalse("reads are not limited by a write rule");
        rules[0].AppliesTo("alice", ["dev"], "staging", "create_pr", AccessKind.Write).Should().BeFalse();
        rules[0].AppliesTo("alice", ["reader"], "prod-eu", "create_pr", AccessKind.Write).Should().BeFalse();
        rules[1].AppliesTo("anyone", [], "x", "search_code", AccessKind.Read).Should().BeTrue();
        rules[1].AppliesTo("anyone", [], "x", "get_code", AccessKind.Read).Should().BeFalse();
        rules[2].AppliesTo("bob", [], "x", "y", AccessKind.Read).Should().BeTrue();
        rules[2].AppliesTo("carol", [], "x", "y", AccessKind.Read).Should().BeFalse();
        rules[2].Per.Should().Be(TimeSpan.FromDays(1));
    }

    [Theory]
    [InlineData("not a list", """{ "limit": 1 }""", "$.gateway.rateLimits", "expected a list of rules", "\"rateLimits\": [")]
    [InlineData("no caller", """[ { "limit": 1, "per": "1m" } ]""", "$.gateway.rateLimits[0]", "names no caller", "\"subjects\": [\"*\"]")]
    [InlineData("no limit", """[ { "roles": ["dev"], "per": "1m" } ]""", "$.gateway.rateLimits[0]", "no \"limit\"", "\"limit\": 30")]
    [InlineData("zero limit", """[ { "roles": ["dev"], "limit": 0, "per": "1m" } ]""", "$.gateway.rateLimits[0].limit", "limit must be from 1", "e.g. 30")]
    [InlineData("window without unit", """[ { "roles": ["dev"], "limit": 3, "per": "60" } ]""", "$.gateway.rateLimits[0].per", "\"60\" is not a window", "\"1m\"")]
    [InlineData("window over a day", """[ { "roles": ["dev"], "limit": 3, "per": "2d" } ]""", "$.gateway.rateLimits[0].per", "\"2d\" is not a window", "at most one day")]
    [InlineData("access typo", """[ { "roles": ["dev"], "access": "writ", "limit": 3, "per": "1m" } ]""", "$.gateway.rateLimits[0].access", "is not \"read\", \"write\" or \"*\"", "did you mean \"write\"?")]
    [InlineData("unknown key", """[ { "roles": ["dev"], "tools": "x", "limit": 3, "per": "1m" } ]""", "$.gateway.rateLimits[0].tools", "unknown key \"tools\"", "did you mean \"tool\"?")]
    [InlineData("duplicate name", """[ { "name": "a", "roles": ["dev"], "limit": 3, "per": "1m" }, { "name": "a", "roles": ["x"], "limit": 3, "per": "1m" } ]""", "$.gateway.rateLimits[1]", "two rate-limit rules are named \"a\"", "give each rule its own name")]
    public void InvalidRateLimits_AreRefusedWithPathMessageAndFix(string description, string rateLimits, string path, string message, string fix)
    {
        var exception = Policies.Fails($$"""{ "mcpServers": {}, "gateway": { "rateLimits": {{rateLimits}} } }""");

        var error = exception.Errors.Should().ContainSingle(description).Which;
        error.JsonPath.Should().Be(path, description);
        error.Message.Should().Contain(message, description);
        error.Fix.Should().Contain(fix, description);
        exception.Message.Should().Contain(Policies.SourcePath).And.Contain(path).And.Contain(error.Fix!);
    }
}
