using System.Text;
using McpGate.Audit;
using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;

namespace McpGate.Audit.Tests.Reading.Alerts;

public sealed class AlertRuleFileTests
{
    [Fact]
    public void Parse_FullRule_BuildsTheRule()
    {
        var result = Parse("""
            {
              // who tried to write to prod
              "rules": [
                { "name": "prod_write_denied", "event": "mcp.tool_called",
                  "match": { "server": "prod-*", "access_kind": "write", "decision": "deny" },
                  "window": "1h", "threshold": 0, "group_by": ["subject", "server"], "severity": "critical",
                  "description": "someone tried to change production" },
              ]
            }
            """);

        result.Errors.Should().BeEmpty();
        var rule = result.Rules.Should().ContainSingle().Subject;
        rule.Name.Should().Be("prod_write_denied");
        rule.Window.Should().Be(TimeSpan.FromHours(1));
        rule.Threshold.Should().Be(0);
        rule.Severity.Should().Be(AlertSeverity.Critical);
        rule.GroupBy.Should().Equal("subject", "server");
        rule.Match.Select(m => m.ToString()).Should().Equal("event=mcp.tool_called", "server=prod-*", "access_kind=write", "decision=deny");
    }

    [Fact]
    public void Parse_BareArray_IsAcceptedLikeTheRulesObject()
    {
        var result = Parse("""[ { "name": "any_ok", "match": { "result": "ok" }, "window": "30m", "group_by": "subject" } ]""");

        result.Errors.Should().BeEmpty();
        result.Rules.Should().ContainSingle().Which.GroupBy.Should().Equal("subject");
    }

    [Fact]
    public void Parse_RuleWithoutThresholdOrSeverity_FiresOnFirstMatchAtMediumSeverity()
    {
        var rule = Parse("""{ "rules": [ { "name": "r", "match": { "result": "ok" }, "window": "1d" } ] }""").Rules.Single();

        rule.Threshold.Should().Be(0);
        rule.Severity.Should().Be(AlertSeverity.Medium);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEachWithItsRule()
    {
        var result = Parse("""
            { "rules": [
                { "name": "a", "match": { "subjet": "bob" }, "window": "1h" },
                { "name": "b", "match": { "result": "ok" }, "window": "soon" },
                { "name": "c", "match": { "result": { "nested": true } }, "window": "1h", "threshold": -1, "severity": "urgent" },
                { "match": { "result": "ok" }, "window": "1h" },
                { "name": "a", "window": "1h" }
            ] }
            """);

        result.Succeeded.Should().BeFalse();
        result.Errors.Should().HaveCount(7);
        result.Errors.Should().Contain(e => e.Contains("rules[0] (a)") && e.Contains("\"subjet\" is not an audit field"));
        result.Errors.Should().Contain(e => e.Contains("rules[1] (b)") && e.Contains("\"soon\" is not a duration"));
        result.Errors.Should().Contain(e => e.Contains("rules[2] (c)") && e.Contains("match.result"));
        result.Errors.Should().Contain(e => e.Contains("rules[2] (c)") && e.Contains("threshold"));
        result.Errors.Should().Contain(e => e.Contains("rules[2] (c)") && e.Contains("urgent"));
        result.Errors.Should().Contain(e => e.Contains("rules[3]") && e.Contains("\"name\" is required"));
        result.Errors.Should().Contain(e => e.Contains("rules[4] (a)") && e.Contains("already named"));
        result.Errors.Should().OnlyContain(e => e.StartsWith("rules.json: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnknownRuleMember_IsAnErrorNotIgnored()
    {
        // A misspelt "threshold" silently defaulting to 0 would page someone for every line.
        var result = Parse("""{ "rules": [ { "name": "r", "window": "1h", "treshold": 100 } ] }""");

        result.Errors.Should().ContainSingle().Which.Should().Contain("treshold").And.Contain("line 1");
    }

    [Fact]
    public void Parse_SyntaxError_NamesTheFileAndLine()
    {
        var result = Parse("{ \"rules\": [\n  { \"name\": \"r\", }\n  oops\n] }");

        result.Errors.Should().ContainSingle().Which.Should().StartWith("rules.json (line 3");
    }

    [Fact]
    public void Parse_MatchOnTs_IsRejected()
    {
        Parse("""{ "rules": [ { "name": "r", "window": "1h", "match": { "ts": "2025" } } ] }""")
            .Errors.Should().ContainSingle().Which.Should().Contain("\"ts\" is bounded by \"window\"");
    }

    [Fact]
    public void Parse_EventGivenTwice_IsRejected()
    {
        Parse("""{ "rules": [ { "name": "r", "window": "1h", "event": "auth.failed", "match": { "event": "auth.failed" } } ] }""")
            .Errors.Should().ContainSingle().Which.Should().Contain("not both");
    }

    [Fact]
    public void Combine_RuleNamedLikeABuiltIn_ReplacesIt()
    {
        var file = Parse("""{ "rules": [ { "name": "capability_denied_24h", "match": { "result": "capability_denied" }, "window": "24h", "threshold": 50, "group_by": "subject" } ] }""");

        var rules = AlertRuleFile.Combine(BuiltInAlertRules.All, file);

        rules.Select(r => r.Name).Should().Equal("capability_denied_24h", "unauthenticated_24h", "strict_denied_24h");
        rules[0].Threshold.Should().Be(50);
        rules[0].IsBuiltIn.Should().BeFalse();
    }

    [Fact]
    public void Combine_DisabledBuiltIn_IsRemovedAndNewRulesAreAdded()
    {
        var file = Parse("""{ "rules": [ { "name": "strict_denied_24h", "enabled": false }, { "name": "mine", "window": "1h" } ] }""");

        AlertRuleFile.Combine(BuiltInAlertRules.All, file).Select(r => r.Name)
            .Should().Equal("capability_denied_24h", "unauthenticated_24h", "mine");
    }

    [Fact]
    public void Parse_CustomRule_FiresOverTheLog()
    {
        var file = Parse("""{ "rules": [ { "name": "prod_write_denied", "match": { "server": "prod-*", "decision": "deny" }, "window": "1h", "threshold": 0, "group_by": "subject", "severity": "critical" } ] }""");
        var rows = new[]
        {
            new AuditRecord { Timestamp = AuditLines.Now.AddMinutes(-10), Event = AuditEvents.ToolCalled, Server = "prod-db", Subject = "eve", Decision = Support.AuditTestData.DenyDecision("eve", "prod-db"), Result = AuditResults.CapabilityDenied },
            new AuditRecord { Timestamp = AuditLines.Now.AddMinutes(-10), Event = AuditEvents.ToolCalled, Server = "dev-db", Subject = "eve", Decision = Support.AuditTestData.DenyDecision("eve", "dev-db"), Result = AuditResults.CapabilityDenied },
        };

        var alert = AuditLines.Evaluate(rows, file.Rules).Alerts().Should().ContainSingle().Subject;

        alert.Rule.Name.Should().Be("prod_write_denied");
        alert.GroupText.Should().Be("subject=eve");
    }

    private static AlertRuleFileResult Parse(string json) => AlertRuleFile.Parse(Encoding.UTF8.GetBytes(json), "rules.json");
}
