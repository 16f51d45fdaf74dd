using System.Text;
using McpGate.Analysis.Replay;
using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Tests;

/// <summary>Replay's line parser (lines are read by McpGate.Audit's scanner: AuditLogScannerTests).</summary>
public sealed class AuditLineParserTests
{
    [Fact]
    public void Parse_ADecisionLine_ReadsWhatReplayNeeds_EscapesDecoded()
    {
        const string Line = """{"ts":"2025-03-04T12:00:00.123Z","event":"mcp.tool_called","decision_id":"0f8e","subject":"b\u00f6b","roles":["dev","ops"],"auth":"bearer","server":"github","tool":"create_pr","resource":null,"prompt":null,"decision":"deny","matched_rule":"dev[1]","classification_kind":"ambiguous","classification_source":"fallback","classification_confidence":0,"arg_keys":["a"],"credential_roles":["ops"],"added_later":{"x":[1]}}""";
        var parser = new AuditLineParser();
        var row = new AuditRow();

        parser.TryParse(Encoding.UTF8.GetBytes(Line), row).Should().BeTrue();

        row.Timestamp.Should().Be(new DateTimeOffset(2025, 3, 4, 12, 0, 0, 123, TimeSpan.Zero));
        (row.TargetKind, row.Subject, row.Server, row.Target, row.Decision, row.MatchedRule).Should().Be((TargetKind.Tool, "böb", "github", "create_pr", Verdict.Deny, "dev[1]"));
        row.Roles.Should().Equal("dev", "ops");
        row.CredentialRoles.Should().Equal("ops");
        row.Auth.Should().Be(AuthSource.Bearer);
        (row.ClassificationKind, row.ClassificationSource).Should().Be((ToolKind.Ambiguous, ClassificationSource.Fallback));
        Encoding.UTF8.GetString(row.DecisionId).Should().Be("0f8e");
    }

    [Fact]
    public void Parse_SameRoleListTwice_IsTheSameInstance_SoIdentitiesAreShared()
    {
        var parser = new AuditLineParser();
        var first = new AuditRow();
        var second = new AuditRow();

        parser.TryParse("""{"roles":["dev"],"subject":"bob"}"""u8, first).Should().BeTrue();
        parser.TryParse("""{"roles":["dev"],"subject":"bob"}"""u8, second).Should().BeTrue();

        second.Roles.Should().BeSameAs(first.Roles);
        second.Subject.Should().BeSameAs(first.Subject);
        second.CredentialRoles.Should().BeNull("the line has no credential_roles field");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"ts":"2025-03-04T12:00:00.123Z","event":"mcp.tool""")]
    [InlineData("[1,2]")]
    public void Parse_TornOrForeignLine_IsRefused(string line)
    {
        new AuditLineParser().TryParse(Encoding.UTF8.GetBytes(line), new AuditRow()).Should().BeFalse();
    }
}
