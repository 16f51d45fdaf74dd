using McpGate.Cli.Tests.Integration;
using McpGate.Cli.Tests.Support;
using McpGate.Testing;

namespace McpGate.Cli.Tests.PolicyCi;

/// <summary><c>mcp acl lint</c> without a snapshot: live discovery of real SDK upstreams, one of them unreachable.</summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class AclLintLiveTests(UpstreamsFixture upstreams) : IClassFixture<UpstreamsFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Lint_Live_FindsPatternsAgainstDiscoveredTools_AndSaysWhichUpstreamItCouldNotCheck()
    {
        var config = _directory.WriteFile("servers.json", $$"""
            {
              "mcpServers": {
                "files":   { "url": "{{upstreams.Stateful.McpUrl}}" },
                "offline": { "url": "{{UnusedLoopback.McpUrl()}}" }
              },
              "serverAuth": { "providers": [], "acl": {
                "default": "deny",
                "roles": { "r": [ { "server": "*", "access": "read", "tools": ["read_*", "nothing_*"] } ] },
                "subjects": { "anonymous": { "roles": ["r"] } }
              } }
            }
            """);

        var byDefault = await McpProcess.RunAsync(_directory.Path, ["acl", "lint", "--config", config, "--timeout", "30"]);
        var failOnWarning = await McpProcess.RunAsync(_directory.Path, ["acl", "lint", "--config", config, "--timeout", "30", "--fail-on", "warning"]);

        byDefault.ExitCode.Should().Be(3, "a warning does not fail by default, and one upstream could not be discovered: " + byDefault);
        byDefault.Output.Should().Contain("warning pattern-matches-nothing: $.serverAuth.acl.roles.r[0].tools[1]: tool pattern 'nothing_*' of r[0] matches no tool of files")
            .And.NotContain("read_*");
        byDefault.Error.Should().Contain("'offline'").And.Contain("skip 'offline'");
        failOnWarning.ExitCode.Should().Be(1, "a finding at --fail-on outranks the discovery failure: " + failOnWarning);
    }
}
