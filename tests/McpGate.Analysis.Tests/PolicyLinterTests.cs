using McpGate.Analysis.Linting;
using McpGate.Analysis.Snapshots;
using McpGate.Configuration;

namespace McpGate.Analysis.Tests;

/// <summary>When a deny grant really covers an allow grant (grant-shadowed-by-deny), by the evaluator's own coverage.</summary>
public sealed class PolicyLinterTests
{
    [Theory]
    [InlineData("""{ "server": "*", "access": "*", "deny": true }""", """{ "server": "github", "access": "write", "tools": ["create_*"] }""", true)]
    [InlineData("""{ "server": "github", "access": "write", "deny": true, "tools": ["create_*", "merge_*"] }""", """{ "server": "github", "access": "write", "tools": ["create_*"] }""", true)]
    [InlineData("""{ "server": "github", "access": "write", "deny": true, "tools": ["create_issue"] }""", """{ "server": "github", "access": "write", "tools": ["create_*"] }""", false)]
    [InlineData("""{ "server": "github", "access": "write", "deny": true }""", """{ "server": "github", "access": "*" }""", false)]
    [InlineData("""{ "server": "github", "access": "read", "deny": true }""", """{ "server": "github", "access": "write" }""", false)]
    [InlineData("""{ "server": "git*", "access": "*", "deny": true }""", """{ "server": ["github", "gitlab"], "access": "read" }""", true)]
    [InlineData("""{ "server": "github", "access": "*", "deny": true }""", """{ "server": ["github", "gitlab"], "access": "read" }""", false)]
    [InlineData("""{ "server": "github", "access": "*", "deny": true, "resources": ["repo://*"] }""", """{ "server": "github", "access": "read", "resources": ["repo://a/README.md"] }""", true)]
    [InlineData("""{ "server": "github", "access": "*", "deny": true, "tools": ["*"] }""", """{ "server": "github", "access": "read" }""", false)]
    public void ShadowedByDeny_InTheSameRole_OnlyWhenTheDenyCoversEverythingTheAllowDoes(string deny, string allow, bool shadowed)
    {
        var config = Load($$"""
            "roles": { "dev": [ {{allow}}, {{deny}} ] },
            "subjects": { "bob": { "roles": ["dev"] } }
            """);

        var findings = PolicyLinter.Lint(config, new Dictionary<string, UpstreamSurface>());

        findings.Any(f => f.Code == LintCodes.GrantShadowedByDeny && f.JsonPath == "$.serverAuth.acl.roles.dev[0]").Should().Be(shadowed);
    }

    [Fact]
    public void ShadowedByDeny_ASubjectsExtraByItsOwnRolesDeny_ButNotByAnotherSubjectsRole()
    {
        var config = Load("""
            "roles": { "no-prod": [ { "server": "github", "access": "write", "deny": true } ], "dev": [ { "server": "github", "access": "read" } ] },
            "subjects": {
              "bob": { "roles": ["no-prod"], "extra": [ { "server": "github", "access": "write", "tools": ["merge_pr"] } ] },
              "carol": { "roles": ["dev"], "extra": [ { "server": "github", "access": "write", "tools": ["merge_pr"] } ] }
            }
            """);

        var findings = PolicyLinter.Lint(config, new Dictionary<string, UpstreamSurface>());

        findings.Where(f => f.Code == LintCodes.GrantShadowedByDeny).Select(f => f.JsonPath).Should().Equal("$.serverAuth.acl.subjects.bob.extra[0]");
    }

    private static GateConfig Load(string acl) => ConfigLoader.Parse($$"""
        {
          "mcpServers": { "github": { "url": "http://127.0.0.1:9/mcp" }, "gitlab": { "url": "http://127.0.0.1:9/mcp" } },
          "serverAuth": { "providers": [], "acl": { "default": "deny", {{acl}} } }
        }
        """, "/nonexistent/servers.json");
}
