using McpGate.Cli.Commands.Acl;
using McpGate.Cli.Output;
using McpGate.Cli.Tests.Support;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Tests.Formatting;

public sealed class CheckTextTests
{
    [Fact]
    public void Line_AllowedTool_ReadsVerdictWhoTargetRuleAccessAndClassification()
    {
        var output = new StringWriter();

        CheckText.WriteLine(output, TerminalStyle.Plain, Decisions.AllowBobListRepos());

        output.ToString().Should().Be(
            "ALLOW  bob → github/list_repos  via dev[0]  access=read  classification=classifier:read (0.50)" + Environment.NewLine);
    }

    [Fact]
    public void Line_DeniedTool_PrintsTheReasonIndentedOnTheNextLine()
    {
        var output = new StringWriter();

        CheckText.WriteLine(output, TerminalStyle.Plain, Decisions.DenyBobDeleteRepo());

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().Be("DENY   bob → github/delete_repo  via default  access=write  classification=annotation:write (0.95)");
        lines[1].Should().Be("       bob has no grant covering write on github/delete_repo");
    }

    [Fact]
    public void Line_ToolTheUpstreamDoesNotList_SaysSoInsteadOfAClassification()
    {
        var output = new StringWriter();

        CheckText.WriteLine(output, TerminalStyle.Plain, Decisions.DenyUnknownTool());

        output.ToString().Should().Contain("classification=none (the upstream does not list this tool)");
    }

    [Fact]
    public void Line_RolesOnlyResourceCheck_NamesTheRolesAndTheTargetKind()
    {
        var output = new StringWriter();

        CheckText.WriteLine(output, TerminalStyle.Plain, Decisions.AllowRolesOnlyResource());

        output.ToString().TrimEnd().Should().Be(
            "ALLOW  (roles: dev, ops) → resource files/file:///public/readme.md  via dev[0]  access=read");
    }

    [Fact]
    public void Table_AllTools_AlignsEveryColumnUnderItsHeader()
    {
        var output = new StringWriter();
        var results = new[] { Decisions.DenyBobDeleteRepo(), Decisions.AllowBobListRepos() };

        CheckText.WriteTable(output, TerminalStyle.Plain, new Identity("bob", [], AuthSource.CommandLine), ["dev"], "github", results);

        var lines = output.ToString().Split(Environment.NewLine);
        lines[0].Should().Be("TOOL         DECISION  RULE     ACCESS  CLASSIFICATION    CONFIDENCE");
        lines[1].Should().Be("delete_repo  DENY      default  write   annotation:write  0.95");
        lines[2].Should().Be("list_repos   ALLOW     dev[0]   read    classifier:read   0.50");
        lines[4].Should().Be("2 tools on github for bob: 1 allowed, 1 denied");
    }

    [Fact]
    public void Style_CapturedWriter_NeverGetsColourCodes()
    {
        var output = new StringWriter();

        var style = TerminalStyle.For(output);
        CheckText.WriteLine(output, style, Decisions.AllowBobListRepos());

        style.Colour.Should().BeFalse();
        output.ToString().Should().NotContain("\u001b[");
    }
}
