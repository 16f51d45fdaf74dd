namespace McpGate.Cli.Tests.Parsing;

/// <summary>Flag validation happens before any config is read, so these run in-process with no files.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("acl check --subject bob --server github")]
    [InlineData("acl check --subject bob --server github --tool a --prompt b")]
    [InlineData("acl check --server github --tool a")]
    [InlineData("acl check --subject bob --tool a")]
    [InlineData("acl check --subject bob --server github --tool a --access admin")]
    [InlineData("acl check --subject bob --server github --tool a --format yaml")]
    [InlineData("acl check --subject bob --server github --tool a --timeout 0")]
    [InlineData("acl check --subject bob --server github --all-tools --offline")]
    [InlineData("acl check --subject bob --server github --tool a --bogus")]
    [InlineData("acl")]
    [InlineData("acl classify --format xml")]
    [InlineData("frobnicate")]
    public async Task Invoke_InvalidFlags_ExitsTwoWithTheErrorAndAUsageHint(string commandLine)
    {
        var (exitCode, output, error) = await RunAsync(commandLine);

        exitCode.Should().Be(2);
        output.Should().BeEmpty();
        error.Should().StartWith("mcp: ").And.Contain("--help' for usage.");
    }

    [Fact]
    public async Task Invoke_TwoTargets_SaysExactlyOneTargetIsAllowed()
    {
        var (_, _, error) = await RunAsync("acl check --subject bob --server github --tool a --resource b");

        error.Should().Contain("exactly one of --tool NAME, --resource URI, --prompt NAME or --all-tools");
    }

    [Theory]
    [InlineData("--help", "mcp <command> [options]")]
    [InlineData("acl --help", "mcp acl <command> [options]")]
    [InlineData("acl check --help", "(--tool NAME | --resource URI | --prompt NAME | --all-tools)")]
    [InlineData("acl classify --help", "mcp acl classify [--config PATH] [--server ALIAS]")]
    [InlineData("serve --help", "mcp serve [--config PATH] [--listen HOST:PORT] [--audit-log PATH] [--allow-remote]")]
    public async Task Help_EveryCommand_ShowsUsageAndExamples(string commandLine, string usage)
    {
        var (exitCode, output, _) = await RunAsync(commandLine);

        exitCode.Should().Be(0);
        output.Should().Contain(usage).And.Contain("Examples:" + Environment.NewLine + "  ");
    }

    [Fact]
    public async Task Help_Root_ListsEveryCommandGroup()
    {
        var (_, output, _) = await RunAsync("--help");

        output.Should().MatchRegex(@"\n  serve +\S").And.MatchRegex(@"\n  acl +\S").And.MatchRegex(@"\n  audit +\S");
    }

    [Fact]
    public async Task Invoke_AuditAlertsWithUnknownFlag_ExitsTwo()
    {
        var (exitCode, _, error) = await RunAsync("audit alerts --bogus");

        exitCode.Should().Be(2);
        error.Should().Contain("mcp audit alerts --help");
    }

    [Fact]
    public async Task Help_AclCheck_ListsEveryExitStatus()
    {
        var (_, output, _) = await RunAsync("acl check --help");

        output.Should().Contain("Exit status:")
            .And.Contain("0  allowed")
            .And.Contain("1  denied")
            .And.Contain("2  usage or config error")
            .And.Contain("3  the upstream's tools could not be discovered");
    }

    [Fact]
    public async Task Help_WithOtherwiseInvalidFlags_StillShowsHelpAndExitsZero()
    {
        var (exitCode, output, _) = await RunAsync("acl check --help --tool a --prompt b");

        exitCode.Should().Be(0);
        output.Should().Contain("Usage:");
    }

    [Fact]
    public void Parse_RepeatedRole_KeepsEveryRoleInOrder()
    {
        var parseResult = McpCommand.Create().Parse(["acl", "check", "--role", "dev", "--role", "ops", "--server", "github", "--tool", "a"]);

        parseResult.Errors.Should().BeEmpty();
        parseResult.GetValue<string[]>("--role").Should().Equal("dev", "ops");
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string commandLine)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await McpCommand.InvokeAsync(
            commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            McpCommand.CreateInvocationConfiguration(output, error));
        return (exitCode, output.ToString(), error.ToString());
    }
}
