using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGate.Cli.Commands.Audit;
using McpGate.Configuration;

namespace McpGate.Cli.Tests.Audit;

public sealed class AuditAlertsCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mcpgate-alerts-").FullName;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Alerts_ElevenDenialsOfOneSubjectAmongOtherRows_ExitsOneNamingTheSubject()
    {
        WriteLog(Rows(11, "capability_denied", "mallory").Concat(Rows(7, "ok", "bob")).Concat(Rows(5, "unknown_session", "bob")));

        var (exit, output, _) = Invoke("audit", "alerts", "--log", _directory);

        exit.Should().Be(1);
        var alertLines = output.Split('\n').Where(l => l.StartsWith("ALERT", StringComparison.Ordinal)).ToList();
        alertLines.Should().ContainSingle().Which.Should().Contain("capability_denied_24h").And.Contain("subject=mallory").And.Contain("11 in 24h");
    }

    [Fact]
    public void Alerts_TenDenials_ExitsZero()
    {
        WriteLog(Rows(10, "capability_denied", "mallory"));

        var (exit, output, _) = Invoke("audit", "alerts", "--log", _directory);

        exit.Should().Be(0);
        output.Should().StartWith("no alerts:");
    }

    [Fact]
    public void Alerts_DenialsOlderThanTheWindow_ExitZero()
    {
        WriteLog(Rows(11, "capability_denied", "mallory", age: TimeSpan.FromHours(30)));

        Invoke("audit", "alerts", "--log", _directory).Exit.Should().Be(0);
    }

    [Fact]
    public void Alerts_SinceShorterThanTheDenialsAge_ExitsZero()
    {
        WriteLog(Rows(11, "capability_denied", "mallory", age: TimeSpan.FromHours(3)));

        Invoke("audit", "alerts", "--log", _directory, "--since", "1h").Exit.Should().Be(0);
    }

    [Fact]
    public void Alerts_JsonFormat_PrintsTheAlertWithItsGroupAndCount()
    {
        WriteLog(Rows(11, "capability_denied", "mallory"));

        var (exit, output, _) = Invoke("audit", "alerts", "--log", _directory, "--format", "json");

        exit.Should().Be(1);
        using var report = JsonDocument.Parse(output);
        var alert = report.RootElement.GetProperty("alerts").EnumerateArray().Should().ContainSingle().Subject;
        alert.GetProperty("rule").GetString().Should().Be("capability_denied_24h");
        alert.GetProperty("severity").GetString().Should().Be("high");
        alert.GetProperty("group").GetProperty("subject").GetString().Should().Be("mallory");
        alert.GetProperty("count").GetInt64().Should().Be(11);
        alert.GetProperty("threshold").GetInt64().Should().Be(10);
        report.RootElement.GetProperty("lines").GetInt64().Should().Be(11);
        report.RootElement.GetProperty("malformed_lines").GetInt64().Should().Be(0);
    }

    [Fact]
    public void Alerts_MalformedLines_AreReportedAndDoNotStopTheEvaluation()
    {
        WriteLog(Rows(11, "capability_denied", "mallory").Prepend("garbage").Append("{\"ts\":"));

        var (exit, output, error) = Invoke("audit", "alerts", "--log", _directory, "--format", "json");

        exit.Should().Be(1);
        error.Should().Contain("skipped 2 malformed line(s)").And.Contain("mcpgate-");
        using var report = JsonDocument.Parse(output);
        report.RootElement.GetProperty("malformed_lines").GetInt64().Should().Be(2);
    }

    [Fact]
    public void Alerts_RuleFileRule_FiresAndExitsOne()
    {
        WriteLog([Row("capability_denied", "eve", server: "prod-db", accessKind: "write")]);
        var rules = WriteFile("rules.json", """
            { "rules": [ { "name": "prod_write_denied", "match": { "server": "prod-*", "access_kind": "write", "decision": "deny" },
                           "window": "1h", "threshold": 0, "group_by": "subject", "severity": "critical" } ] }
            """);

        var (exit, output, _) = Invoke("audit", "alerts", "--log", _directory, "--rules", rules);

        exit.Should().Be(1);
        output.Should().Contain("critical").And.Contain("prod_write_denied").And.Contain("subject=eve");
    }

    [Fact]
    public void Alerts_BadRuleFile_ExitsTwoNamingFileAndProblem()
    {
        WriteLog(Rows(1, "ok", "bob"));
        var rules = WriteFile("rules.json", """{ "rules": [ { "name": "r", "window": "forever" } ] }""");

        var (exit, _, error) = Invoke("audit", "alerts", "--log", _directory, "--rules", rules);

        exit.Should().Be(2);
        error.Should().Contain(rules).And.Contain("\"forever\" is not a duration");
    }

    [Fact]
    public void Alerts_MissingRuleFile_ExitsTwo()
    {
        WriteLog(Rows(1, "ok", "bob"));

        Invoke("audit", "alerts", "--log", _directory, "--rules", Path.Combine(_directory, "nope.json")).Exit.Should().Be(2);
    }

    [Theory]
    [InlineData("--since", "yesterday")]
    [InlineData("--format", "yaml")]
    public void Alerts_BadOptionValue_ExitsTwo(string option, string value)
    {
        WriteLog(Rows(1, "ok", "bob"));

        var (exit, _, error) = Invoke("audit", "alerts", "--log", _directory, option, value);

        exit.Should().Be(2);
        error.Should().Contain(value);
    }

    [Fact]
    public void Alerts_LogThatDoesNotExist_ExitsTwo()
    {
        var (exit, _, error) = Invoke("audit", "alerts", "--log", Path.Combine(_directory, "missing", "audit.jsonl"));

        exit.Should().Be(2);
        error.Should().Contain("no audit log");
    }

    [Fact]
    public void Alerts_WithoutLog_ReadsTheConfigsAuditPath()
    {
        var logDirectory = Path.Combine(_directory, "logs");
        Directory.CreateDirectory(logDirectory);
        File.WriteAllLines(Path.Combine(logDirectory, $"gate-{_now:yyyyMMdd}.jsonl"), Rows(11, "capability_denied", "mallory"));
        var config = WriteFile("servers.json", $$"""
            {
              // the gateway's audit log
              "mcpServers": {},
              "gateway": { "audit": { "path": "{{Path.Combine(logDirectory, "gate-.jsonl").Replace("\\", "\\\\", StringComparison.Ordinal)}}" } },
            }
            """);

        var (exit, output, _) = Invoke("audit", "alerts", "--config", config);

        exit.Should().Be(1);
        output.Should().Contain("subject=mallory");
    }

    [Theory]
    [InlineData("${MCPGATE_LOGS}/gate-.jsonl", "")]
    [InlineData("${MCPGATE_LOGS:-/var/log/mcpgate}/gate-.jsonl", "")]
    [InlineData("${MCPGATE_LOGS:-/var/log/mcpgate}/gate-.jsonl", null)]
    [InlineData("./logs${MCPGATE_LOGS}/gate-.jsonl", "/x")]
    public void AuditPathLookup_AgreesWithTheLoader_OnEveryVariableState(string configured, string? variable)
    {
        // A set-but-empty variable used to be "not set" here while the loader substituted "" (issue 14).
        var text = $$"""{ "mcpServers": {}, "gateway": { "audit": { "path": "{{configured}}" } } }""";
        var config = WriteFile("servers.json", text);
        string? Environment(string name) => name == "MCPGATE_LOGS" ? variable : null;

        var (path, error) = AuditConfigLookup.ReadAuditPath(config, Environment);

        error.Should().BeNull();
        path.Should().Be(ConfigLoader.Parse(text, config, Environment).Gateway.Audit.Path);
    }

    [Fact]
    public void AuditPathLookup_UnsetVariableWithoutFallback_IsTheLoadersError()
    {
        var config = WriteFile("servers.json", """{ "gateway": { "audit": { "path": "${MCPGATE_LOGS}/gate-.jsonl" } } }""");

        var (path, error) = AuditConfigLookup.ReadAuditPath(config, _ => null);

        path.Should().BeNull();
        error.Should().Contain(config).And.Contain("MCPGATE_LOGS is not set").And.Contain("${MCPGATE_LOGS:-value}");
    }

    [Fact]
    public void Alerts_ConfigThatWritesAuditToStdout_ExitsTwoAskingForLog()
    {
        var config = WriteFile("servers.json", """{ "gateway": { "audit": { "path": "-" } } }""");

        var (exit, _, error) = Invoke("audit", "alerts", "--config", config);

        exit.Should().Be(2);
        error.Should().Contain("--log");
    }

    [Fact]
    public void Alerts_MissingConfig_ExitsTwo()
    {
        Invoke("audit", "alerts", "--config", Path.Combine(_directory, "none.json")).Exit.Should().Be(2);
    }

    [Fact]
    public void Alerts_LogFromStdin_IsEvaluated()
    {
        var stdin = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', Rows(11, "capability_denied", "mallory"))));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = AuditAlertsCommand.Run(new AuditAlertsOptions("-", null, "24h", "text", null), output, error, () => stdin, TimeProvider.System, CancellationToken.None);

        exit.Should().Be(1);
        output.ToString().Should().Contain("subject=mallory");
    }

    [Fact]
    public void Alerts_Cancelled_Exits130LikeTheOtherCommands()
    {
        WriteLog(Rows(11, "capability_denied", "mallory"));
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = AuditAlertsCommand.Run(new AuditAlertsOptions(_directory, null, "24h", "text", null), output, error, () => Stream.Null, TimeProvider.System, new CancellationToken(canceled: true));

        exit.Should().Be(130);
        error.ToString().Should().Contain("cancelled");
    }

    [Fact]
    public void Alerts_EmptyLogDirectory_ExitsZeroWithAWarning()
    {
        var (exit, _, error) = Invoke("audit", "alerts", "--log", _directory);

        exit.Should().Be(0);
        error.Should().Contain("no audit files match");
    }

    private (int Exit, string Output, string Error) Invoke(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = McpCommand.InvokeAsync(args, McpCommand.CreateInvocationConfiguration(output, error)).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    private void WriteLog(IEnumerable<string> lines)
        => File.WriteAllLines(Path.Combine(_directory, $"mcpgate-{_now:yyyyMMdd}.jsonl"), lines);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private IEnumerable<string> Rows(int count, string result, string subject, TimeSpan? age = null)
        => Enumerable.Range(0, count).Select(_ => Row(result, subject, age));

    // Hand-written the way docs/audit.md describes the line (this project cannot see the gateway's formatter).
    private string Row(string result, string subject, TimeSpan? age = null, string server = "github", string accessKind = "write")
    {
        var denied = result == "capability_denied";
        var line = new JsonObject
        {
            ["ts"] = (_now - (age ?? TimeSpan.FromMinutes(30))).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["event"] = "mcp.tool_called",
            ["decision_id"] = Guid.NewGuid().ToString("n"),
            ["trace_id"] = null,
            ["jsonrpc_id"] = "1",
            ["subject"] = subject,
            ["roles"] = new JsonArray("dev"),
            ["auth"] = "bearer",
            ["server"] = server,
            ["method"] = "tools/call",
            ["tool"] = "create_pr",
            ["resource"] = null,
            ["prompt"] = null,
            ["decision"] = denied ? "deny" : "allow",
            ["result"] = result,
            ["matched_rule"] = denied ? "default" : "dev[0]",
            ["access_kind"] = accessKind,
            ["grant_access"] = null,
            ["classification_kind"] = "write",
            ["classification_source"] = "classifier",
            ["classification_confidence"] = 0.6,
            ["duration_ms"] = 0,
            ["upstream_status"] = null,
            ["arg_keys"] = null,
            ["hidden"] = null,
        };
        return line.ToJsonString();
    }
}
