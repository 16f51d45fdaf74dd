using McpGate.Audit;
using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;
using McpGate.Audit.Tests.Support;

namespace McpGate.Audit.Tests.Reading.Alerts;

public sealed class AlertEvaluatorTests
{
    [Fact]
    public void Evaluate_ElevenDenialsOfOneSubjectAmongOtherRows_FiresOneCapabilityAlertNamingTheSubject()
    {
        var rows = AuditLines.Rows(11, AuditResults.CapabilityDenied, subject: "mallory")
            .Concat(AuditLines.Rows(7, AuditResults.Ok))
            .Concat(AuditLines.Rows(5, AuditResults.UnknownSession));

        var alerts = AuditLines.Evaluate(rows).Alerts();

        var alert = alerts.Should().ContainSingle().Subject;
        alert.Rule.Name.Should().Be("capability_denied_24h");
        alert.Count.Should().Be(11);
        alert.GroupText.Should().Be("subject=mallory");
    }

    [Fact]
    public void Evaluate_TenDenials_FiresNothing()
    {
        AuditLines.Evaluate(AuditLines.Rows(10, AuditResults.CapabilityDenied)).Alerts().Should().BeEmpty();
    }

    [Fact]
    public void Evaluate_DenialsSpreadOverSubjects_FiresOnlyForTheSubjectOverThreshold()
    {
        var rows = AuditLines.Rows(12, AuditResults.CapabilityDenied, subject: "alice")
            .Concat(AuditLines.Rows(6, AuditResults.CapabilityDenied, subject: "bob"))
            .Concat(AuditLines.Rows(6, AuditResults.CapabilityDenied, subject: "carol"));

        var alerts = AuditLines.Evaluate(rows).Alerts();

        alerts.Should().ContainSingle().Which.GroupText.Should().Be("subject=alice");
    }

    [Fact]
    public void Evaluate_DenialsOlderThanTheWindow_DoNotCount()
    {
        var rows = AuditLines.Rows(6, AuditResults.CapabilityDenied, age: TimeSpan.FromHours(25))
            .Concat(AuditLines.Rows(6, AuditResults.CapabilityDenied, age: TimeSpan.FromHours(2)));

        AuditLines.Evaluate(rows).Alerts().Should().BeEmpty();
    }

    [Fact]
    public void Evaluate_SinceShorterThanTheWindow_NarrowsTheWindow()
    {
        var rows = AuditLines.Rows(11, AuditResults.CapabilityDenied, age: TimeSpan.FromHours(3));

        var evaluator = AuditLines.Evaluate(rows, since: TimeSpan.FromHours(1));

        evaluator.Alerts().Should().BeEmpty();
        evaluator.LinesInRange.Should().Be(0);
    }

    [Fact]
    public void Evaluate_SinceLongerThanTheWindow_DoesNotWidenIt()
    {
        var rows = AuditLines.Rows(11, AuditResults.CapabilityDenied, age: TimeSpan.FromDays(3));

        AuditLines.Evaluate(rows, since: TimeSpan.FromDays(7)).Alerts().Should().BeEmpty();
    }

    [Fact]
    public void Evaluate_MalformedLines_AreSkippedCountedAndLocated()
    {
        var lines = AuditLines.Rows(11, AuditResults.CapabilityDenied).Select(AuditTestData.Line).ToList();
        lines.Insert(3, "{\"ts\":\"2025-03-05T11:00:00.000Z\",\"event\":");
        lines.Insert(7, "not json at all");
        lines.Insert(9, "{\"event\":\"mcp.tool_called\",\"result\":\"capability_denied\"}");
        lines.Insert(10, "[1,2,3]");
        lines.Insert(11, "{\"ts\":\"yesterday\"}");
        lines.Insert(12, "{\"ts\":\"2025-03-05T11:00:00.000Z\"}{\"ts\":\"2025-03-05T11:00:00.000Z\"}");

        var evaluator = AuditLines.EvaluateLines(lines);

        evaluator.MalformedLines.Should().Be(6);
        evaluator.MalformedSamples.Should().Equal("test.jsonl:4", "test.jsonl:8", "test.jsonl:10", "test.jsonl:11", "test.jsonl:12");
        evaluator.Alerts().Should().ContainSingle().Which.Count.Should().Be(11);
    }

    [Fact]
    public void Evaluate_BlankLines_AreNeitherRowsNorMalformed()
    {
        var evaluator = AuditLines.EvaluateLines(["", "   ", AuditTestData.Line(AuditLines.Row(AuditResults.Ok)), "\r"]);

        evaluator.Lines.Should().Be(1);
        evaluator.MalformedLines.Should().Be(0);
    }

    [Fact]
    public void Evaluate_ElevenAuthFailures_FiresUnauthenticatedAlert()
    {
        var rows = Enumerable.Range(0, 11).Select(_ => new AuditRecord
        {
            Timestamp = AuditLines.Now.AddMinutes(-5),
            Event = AuditEvents.AuthFailed,
            Result = AuditResults.Unauthenticated,
        });

        var alert = AuditLines.Evaluate(rows).Alerts().Should().ContainSingle().Subject;

        alert.Rule.Name.Should().Be("unauthenticated_24h");
        alert.Count.Should().Be(11);
    }

    [Fact]
    public void Evaluate_OneStrictDenial_FiresStrictAlertNamingServerAndTool()
    {
        var strict = AuditTestData.DenyDecision(tool: "frobnicate") with { MatchedRule = "strict", Classification = null };
        var row = new AuditRecord
        {
            Timestamp = AuditLines.Now.AddMinutes(-5),
            Event = AuditEvents.ToolCalled,
            Server = "github",
            Tool = "frobnicate",
            Decision = strict,
            Result = AuditResults.CapabilityDenied,
        };

        var alert = AuditLines.Evaluate([row]).Alerts().Should().ContainSingle().Subject;

        alert.Rule.Name.Should().Be("strict_denied_24h");
        alert.GroupText.Should().Be("server=github tool=frobnicate");
    }

    [Fact]
    public void Evaluate_SeveralRulesFire_MostSevereFirst()
    {
        var strict = AuditTestData.DenyDecision() with { MatchedRule = "strict" };
        var rows = AuditLines.Rows(11, AuditResults.CapabilityDenied)
            .Append(new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Decision = strict, Result = AuditResults.CapabilityDenied });

        var alerts = AuditLines.Evaluate(rows).Alerts();

        alerts.Select(a => a.Rule.Name).Should().Equal("capability_denied_24h", "strict_denied_24h");
    }

    [Fact]
    public void Evaluate_GroupByFieldThatIsNull_KeepsNullApartFromTheStringNull()
    {
        var rule = new AlertRule { Name = "by_subject", Window = TimeSpan.FromDays(1), WindowText = "1d", GroupBy = ["subject"] };
        var rows = new[]
        {
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.AuthFailed, Result = AuditResults.Unauthenticated },
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.AuthFailed, Result = AuditResults.Unauthenticated, Subject = "null" },
        };

        var alerts = AuditLines.Evaluate(rows, [rule]).Alerts();

        alerts.Select(a => a.Group[0].Value).Should().BeEquivalentTo([null, "null"]);
    }

    [Fact]
    public void Evaluate_MatchOnListField_MatchesWhenAnyItemDoes()
    {
        var rule = new AlertRule
        {
            Name = "admin_activity",
            Window = TimeSpan.FromDays(1),
            WindowText = "1d",
            Match = [new FieldMatch("roles", [MatchValue.String("admin")])],
        };
        var rows = new[]
        {
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Result = AuditResults.Ok, Roles = ["dev", "admin"] },
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Result = AuditResults.Ok, Roles = ["dev"] },
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Result = AuditResults.Ok },
        };

        AuditLines.Evaluate(rows, [rule]).Alerts().Should().ContainSingle().Which.Count.Should().Be(1);
    }

    [Fact]
    public void Evaluate_MatchWithGlobAndNumber_CountsOnlyMatchingRows()
    {
        var rule = new AlertRule
        {
            Name = "prod_5xx",
            Window = TimeSpan.FromDays(1),
            WindowText = "1d",
            Match =
            [
                new FieldMatch("server", [MatchValue.String("prod-*")]),
                new FieldMatch("upstream_status", [MatchValue.Number(502), MatchValue.Number(503)]),
            ],
        };
        var rows = new[]
        {
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Result = AuditResults.UpstreamError, Server = "prod-eu", UpstreamStatus = 502 },
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Result = AuditResults.UpstreamError, Server = "prod-us", UpstreamStatus = 503 },
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Result = AuditResults.UpstreamError, Server = "prod-us", UpstreamStatus = 500 },
            new AuditRecord { Timestamp = AuditLines.Now, Event = AuditEvents.ToolCalled, Result = AuditResults.UpstreamError, Server = "staging", UpstreamStatus = 502 },
        };

        AuditLines.Evaluate(rows, [rule]).Alerts().Should().ContainSingle().Which.Count.Should().Be(2);
    }

    [Fact]
    public void Evaluate_Alert_ReportsFirstAndLastTimestampOfTheGroup()
    {
        var rows = Enumerable.Range(1, 11).Select(h => AuditLines.Row(AuditResults.CapabilityDenied, age: TimeSpan.FromHours(h)));

        var alert = AuditLines.Evaluate(rows).Alerts().Single();

        alert.FirstSeen.Should().Be(AuditLines.Now.AddHours(-11));
        alert.LastSeen.Should().Be(AuditLines.Now.AddHours(-1));
    }
}
