using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

public sealed class EnvironmentSubstitutionTests
{
    [Theory]
    [InlineData("Bearer ${TOKEN}", "Bearer t0k")]
    [InlineData("${TOKEN}${TOKEN}", "t0kt0k")]
    [InlineData("Bearer ${MISSING:-fallback}", "Bearer fallback")]
    [InlineData("Bearer ${EMPTY:-fallback}", "Bearer fallback")]
    [InlineData("Bearer ${TOKEN:-fallback}", "Bearer t0k")]
    [InlineData("x${MISSING:-}y", "xy")]
    [InlineData("${EMPTY}", "")]
    [InlineData("no reference $ {TOKEN} $TOKEN", "no reference $ {TOKEN} $TOKEN")]
    [InlineData("${TOKEN:-a:-b}", "t0k")]
    [InlineData("${MISSING:-a:-b}", "a:-b")]
    public void StringValue_IsSubstitutedFromTheEnvironment(string raw, string expected)
    {
        var environment = new Dictionary<string, string> { ["TOKEN"] = "t0k", ["EMPTY"] = string.Empty };

        var config = Policies.Parse($$"""{ "mcpServers": { "a": { "url": "http://x/mcp", "headers": { "Authorization": "{{raw}}" } } } }""", environment);

        config.Servers["a"].Headers["Authorization"].Should().Be(expected);
    }

    [Fact]
    public void Substitution_AppliesToEveryStringValue()
    {
        var environment = new Dictionary<string, string> { ["PORT"] = "3101", ["SUBJECT"] = "bob", ["ALIAS"] = "github" };

        var config = Policies.Parse("""
            {
              "mcpServers": { "github": { "url": "http://127.0.0.1:${PORT}/mcp" } },
              "serverAuth": {
                "providers": ["bearer"],
                "bearer": { "tokens": { "tok": "${SUBJECT}" } },
                "acl": { "roles": { "dev": [ { "server": "${ALIAS}", "access": "read" } ] } }
              },
              "gateway": { "listen": "127.0.0.1:${PORT:-8080}" }
            }
            """, environment);

        config.Servers["github"].Url!.Port.Should().Be(3101);
        config.Auth.BearerTokens.Single().Subject.Should().Be("bob");
        config.Gateway.Listen.ToString().Should().Be("127.0.0.1:3101");
        config.Evaluator.Evaluate(Identities.Of("x", "dev"), "github", TargetKind.Tool, "t", Classified.Read).MatchedRule.Should().Be("dev[0]");
    }

    [Fact]
    public void EveryUnsetVariable_IsReported()
    {
        var exception = Policies.Fails("""{ "mcpServers": { "a": { "url": "http://${HOST}/mcp", "headers": { "X": "${ONE} ${TWO}" } } } }""");

        exception.Errors.Select(e => e.Message).Should().BeEquivalentTo(
            "environment variable HOST is not set (referenced as ${HOST})",
            "environment variable ONE is not set (referenced as ${ONE})",
            "environment variable TWO is not set (referenced as ${TWO})");
    }

    [Fact]
    public void DefaultEnvironment_IsTheProcessEnvironment()
    {
        var name = "MCPGATE_POLICY_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            var config = ConfigLoader.Parse(
                $$"""{ "mcpServers": { "a": { "command": "srv", "env": { "V": "${{{name}}}" } } } }""", "inline.json");

            config.Servers["a"].Env["V"].Should().Be("from-process");
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
