using System.Text.Json;
using McpGate.Cli.Tests.Support;
using McpGate.Testing;

namespace McpGate.Cli.Tests.PolicyCi;

/// <summary>
/// <c>mcp acl lint</c> as a process: a clean policy with no finding, then one edit per code that triggers exactly it,
/// found at the right line and JSON path. Tools come from a snapshot file, so no upstream runs.
/// </summary>
[Trait("Category", "Process")]
public sealed class AclLintTests : IDisposable
{
    private const string BobTokenHash = "sha256:97dd3707015dcf069cf73022ed7173b1165db6eff24b441cb57fd069a8c4e525";

    private const string Clean = """
        {
          "mcpServers": {
            "files": { "url": "http://127.0.0.1:9/mcp", "tool_acl": { "read": ["read_*"] } },
          },
          "serverAuth": {
            "providers": ["bearer"],
            "bearer": { "tokens": { "TOKEN_KEY": { "subject": "bob", "roles": ["dev"] } } },
            "acl": {
              "default": "deny",
              "roles": {
                "dev": [
                  { "server": "files", "access": "read" },
                  { "server": "files", "access": "write", "tools": ["write_file"] },
                ],
              },
              "subjects": { "alice": { "roles": ["dev"] } },
            },
          },
        }
        """;

    private const string Snapshot = """
        {
          "mcpgate_snapshot": 1,
          "servers": {
            "files": {
              "tools": [
                { "name": "frobnicate", "description": null, "annotations": null, "input_schema": { "type": "object" } },
                { "name": "read_file", "description": "Reads a file.", "annotations": { "readOnlyHint": true }, "input_schema": { "type": "object", "properties": { "path": {} } } },
                { "name": "write_file", "description": "Writes a file.", "annotations": { "destructiveHint": true }, "input_schema": { "type": "object" } }
              ],
              "prompts": [], "resources": [], "resource_templates": []
            }
          }
        }
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Lint_CleanPolicy_HasNoFinding_ExitsZero()
    {
        var run = await LintAsync(Clean, "--fail-on", "warning");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Trim().Should().Be("0 errors, 0 warnings");
    }

    [Theory]
    [InlineData("default-allow", "\"default\": \"deny\"", "\"default\": \"allow\"", "$.serverAuth.acl.default", "\"default\": \"allow\"")]
    [InlineData("plaintext-token", "TOKEN_KEY", "bob-plain-token", "$.serverAuth.bearer.tokens[<token #1>]", "bob-plain-token")]
    [InlineData("role-undefined", "\"subject\": \"bob\", \"roles\": [\"dev\"]", "\"subject\": \"bob\", \"roles\": [\"dev\", \"deb\"]", "$.serverAuth.bearer.tokens['TOKEN_KEY'].roles[1]", "\"deb\"")]
    [InlineData("role-unused", "\"dev\": [", "\"ops\": [ { \"server\": \"files\", \"access\": \"read\" } ],\n\"dev\": [", "$.serverAuth.acl.roles.ops", "\"ops\"")]
    [InlineData("duplicate-grant", "\"tools\": [\"write_file\"] },", "\"tools\": [\"write_file\"] },\n{ \"server\": \"files\", \"access\": \"read\" },", "$.serverAuth.acl.roles.dev[2]", "{ \"server\": \"files\", \"access\": \"read\" },\n")]
    [InlineData("grant-shadowed-by-deny", "\"tools\": [\"write_file\"] },", "\"tools\": [\"write_file\"] },\n{ \"server\": \"*\", \"access\": \"write\", \"deny\": true },", "$.serverAuth.acl.roles.dev[1]", "{ \"server\": \"files\", \"access\": \"write\"")]
    [InlineData("pattern-matches-nothing", "[\"write_file\"]", "[\"write_fiel\"]", "$.serverAuth.acl.roles.dev[1].tools[0]", "\"write_fiel\"")]
    [InlineData("pattern-matches-nothing", "[\"read_*\"]", "[\"get_*\"]", "$.mcpServers.files.tool_acl.read[0]", "\"get_*\"")]
    [InlineData("ambiguous-writable", "[\"write_file\"]", "[\"write_file\", \"frob*\"]", "$.serverAuth.acl.roles.dev[1]", "{ \"server\": \"files\", \"access\": \"write\"")]
    public async Task Lint_OneEdit_TriggersExactlyItsCode_AtItsLineAndPath(string code, string find, string replace, string jsonPath, string lineMarker)
    {
        var config = Clean.Replace(find, replace, StringComparison.Ordinal);
        config.Should().NotBe(Clean);

        var run = await LintAsync(config, "--format", "json", "--fail-on", "warning");

        run.ExitCode.Should().Be(1, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var finding = json.RootElement.GetProperty("findings").EnumerateArray().Should().ContainSingle(run.Output).Subject;
        finding.GetProperty("code").GetString().Should().Be(code);
        finding.GetProperty("json_path").GetString().Should().Be(jsonPath.Replace("TOKEN_KEY", BobTokenHash, StringComparison.Ordinal));
        finding.GetProperty("severity").GetString().Should().Be(code is "default-allow" or "plaintext-token" or "role-undefined" ? "error" : "warning");
        finding.GetProperty("fix").GetString().Should().NotBeNullOrWhiteSpace();
        var written = WithToken(config);
        var expectedLine = written[..written.LastIndexOf(lineMarker.Replace("TOKEN_KEY", BobTokenHash, StringComparison.Ordinal), StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        finding.GetProperty("line").GetInt32().Should().Be(expectedLine);
    }

    [Fact]
    public async Task Lint_PlaintextToken_NeverPrintsTheTokenAndGivesItsHash()
    {
        var run = await LintAsync(Clean.Replace("TOKEN_KEY", "bob-token", StringComparison.Ordinal));

        run.ExitCode.Should().Be(1, "plaintext-token is an error: " + run);
        run.Output.Should().NotContain("\"bob-token\"").And.NotContain("'bob-token'");
        run.Output.Should().Contain("servers.json:7:").And.Contain("error plaintext-token: $.serverAuth.bearer.tokens[<token #1>]")
            .And.Contain(BobTokenHash).And.EndWith("1 error, 0 warnings" + Environment.NewLine);
    }

    [Fact]
    public async Task Lint_WarningOnly_ExitsZeroByDefault_AndOneWithFailOnWarning()
    {
        var config = Clean.Replace("[\"write_file\"]", "[\"write_fiel\"]", StringComparison.Ordinal);

        var byDefault = await LintAsync(config);
        var strict = await LintAsync(config, "--fail-on", "warning");

        byDefault.ExitCode.Should().Be(0, byDefault.ToString());
        byDefault.Output.Should().Contain("warning pattern-matches-nothing").And.Contain("0 errors, 1 warning");
        strict.ExitCode.Should().Be(1, strict.ToString());
    }

    [Fact]
    public async Task Lint_NoAcl_IsDefaultAllowAtTheServerAuthSection()
    {
        const string NoAcl = """{ "mcpServers": { "files": { "url": "http://127.0.0.1:9/mcp" } } }""";

        var run = await LintAsync(NoAcl);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().Contain("error default-allow: $: there is no serverAuth.acl");
    }

    private async Task<McpRun> LintAsync(string config, params string[] extra)
    {
        var configPath = _directory.WriteFile("servers.json", WithToken(config));
        var snapshot = _directory.WriteFile("tools.snapshot.json", Snapshot);
        return await McpProcess.RunAsync(_directory.Path, ["acl", "lint", "--config", configPath, "--tools-snapshot", snapshot, .. extra]);
    }

    private static string WithToken(string config) => config.Replace("TOKEN_KEY", BobTokenHash, StringComparison.Ordinal);
}
