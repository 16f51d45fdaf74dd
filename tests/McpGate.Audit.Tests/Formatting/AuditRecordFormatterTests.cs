using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using McpGate.Audit;
using McpGate.Audit.Formatting;
using McpGate.Audit.Tests.Support;
using McpGate.Policy.Evaluation;

namespace McpGate.Audit.Tests.Formatting;

public sealed class AuditRecordFormatterTests
{
    // gateway.md §2 and issue 5, in the order the line must have them.
    private static readonly string[] s_contractFields =
    [
        "ts", "event", "decision_id", "trace_id", "jsonrpc_id", "subject", "roles", "auth", "server", "method", "tool",
        "resource", "prompt", "decision", "result", "matched_rule", "access_kind", "grant_access",
        "classification_kind", "classification_source", "classification_confidence", "duration_ms",
        "upstream_status", "arg_keys", "hidden", "credential_roles", "rate_limit_rule", "issuer", "client_id", "auth_error", "gate_instance",
    ];

    [Fact]
    public void Format_FullDenial_WritesEveryContractFieldInOrder()
    {
        var names = PropertyNames(AuditTestData.Line(AuditTestData.Denial()));

        names.Should().Equal(s_contractFields);
    }

    [Fact]
    public void Format_RecordWithOnlyRequiredValues_WritesEveryFieldWithNullsInOrder()
    {
        var json = AuditTestData.Line(AuditTestData.Minimal());

        PropertyNames(json).Should().Equal(s_contractFields);
        using var document = JsonDocument.Parse(json);
        var nonNull = document.RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind != JsonValueKind.Null)
            .Select(p => p.Name);
        nonNull.Should().Equal("ts", "event", "result", "duration_ms");
    }

    [Fact]
    public void Format_TimestampWithOffset_IsUtcIso8601WithMilliseconds()
    {
        var record = new AuditRecord
        {
            Timestamp = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2)).AddTicks(1234),
            Event = AuditEvents.ToolCalled,
            Result = AuditResults.Ok,
        };

        Field(AuditTestData.Line(record), "ts").GetString().Should().Be("2025-03-04T03:06:07.891Z");
    }

    [Fact]
    public void Format_Denial_WritesDecisionFieldsWithWireNames()
    {
        var json = AuditTestData.Line(AuditTestData.Denial());

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        root.GetProperty("decision").GetString().Should().Be("deny");
        root.GetProperty("result").GetString().Should().Be("capability_denied");
        root.GetProperty("matched_rule").GetString().Should().Be("dev[1]");
        root.GetProperty("access_kind").GetString().Should().Be("write");
        root.GetProperty("grant_access").GetString().Should().Be("read");
        root.GetProperty("classification_kind").GetString().Should().Be("write");
        root.GetProperty("classification_source").GetString().Should().Be("classifier");
        root.GetProperty("classification_confidence").GetDouble().Should().Be(0.6);
        root.GetProperty("duration_ms").GetDouble().Should().Be(0);
    }

    [Fact]
    public void Format_UnknownToolDecision_WritesNullClassificationAndStarGrant()
    {
        var decision = AuditTestData.DenyDecision() with { Classification = null, GrantAccess = GrantAccess.Any, MatchedRule = "strict" };
        var record = new AuditRecord { Timestamp = AuditTestData.Noon, Event = AuditEvents.ToolCalled, Decision = decision, Result = AuditResults.CapabilityDenied };

        var json = AuditTestData.Line(record);

        Field(json, "grant_access").GetString().Should().Be("*");
        Field(json, "classification_kind").ValueKind.Should().Be(JsonValueKind.Null);
        Field(json, "classification_source").ValueKind.Should().Be(JsonValueKind.Null);
        Field(json, "classification_confidence").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Format_Lists_AreArraysWhenFilledAndNullWhenEmpty()
    {
        var record = new AuditRecord
        {
            Timestamp = AuditTestData.Noon,
            Event = AuditEvents.ListFiltered,
            Result = AuditResults.Ok,
            Roles = [],
            ArgKeys = [],
            Hidden = ["delete_repo", "merge_pr"],
            CredentialRoles = ["dev"],
        };

        var json = AuditTestData.Line(record);

        Field(json, "roles").ValueKind.Should().Be(JsonValueKind.Null);
        Field(json, "arg_keys").ValueKind.Should().Be(JsonValueKind.Null);
        Field(json, "hidden").EnumerateArray().Select(e => e.GetString()).Should().Equal("delete_repo", "merge_pr");
        Field(json, "credential_roles").EnumerateArray().Select(e => e.GetString()).Should().Equal("dev");
    }

    [Fact]
    public void Format_OAuthFields_NameTheIssuerClientAndRefusalReason()
    {
        var record = new AuditRecord
        {
            Timestamp = AuditTestData.Noon,
            Event = AuditEvents.AuthFailed,
            Result = AuditResults.Unauthenticated,
            Issuer = "https://login.example.com",
            ClientId = "claude-code",
            AuthError = "expired",
        };

        var json = AuditTestData.Line(record);

        Field(json, "issuer").GetString().Should().Be("https://login.example.com");
        Field(json, "client_id").GetString().Should().Be("claude-code");
        Field(json, "auth_error").GetString().Should().Be("expired");
    }

    [Fact]
    public void Format_UpstreamStatusAndDuration_AreNumbers()
    {
        var record = new AuditRecord
        {
            Timestamp = AuditTestData.Noon,
            Event = AuditEvents.ToolCalled,
            Result = AuditResults.UpstreamError,
            UpstreamStatus = 502,
            DurationMs = 12.345678,
        };

        var json = AuditTestData.Line(record);

        Field(json, "upstream_status").GetInt32().Should().Be(502);
        Field(json, "duration_ms").GetDouble().Should().Be(12.346);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.6, "0.6")]
    [InlineData(1.05, "1.05")]
    [InlineData(12.345678, "12.346")]
    [InlineData(0.1 + 0.2, "0.3")]
    [InlineData(0.0005, "0.001")]
    [InlineData(0.00049, "0")]
    [InlineData(250.0, "250")]
    [InlineData(1234567.0405, "1234567.041")]
    [InlineData(-3.2, "-3.2")]
    [InlineData(2e15, "2000000000000000")]
    public void Format_Duration_IsWrittenWithAtMostThreeDecimals(double duration, string expected)
    {
        var record = new AuditRecord { Timestamp = AuditTestData.Noon, Event = AuditEvents.ToolCalled, Result = AuditResults.Ok, DurationMs = duration };

        var json = AuditTestData.Line(record);

        json.Should().Contain($"\"duration_ms\":{expected},");
        Field(json, "duration_ms").GetDouble().Should().Be(Math.Round(duration, 3, MidpointRounding.AwayFromZero));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00.000Z", 0)]
    [InlineData("2025-12-31T23:59:59.999Z", 5)]
    [InlineData("2026-03-04T05:06:07.089Z", -8)]
    [InlineData("9999-12-31T23:59:59.999Z", 0)]
    public void Format_Timestamp_IsUtcWithMilliseconds(string expected, int offsetHours)
    {
        var at = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(offsetHours));
        var record = new AuditRecord { Timestamp = at, Event = AuditEvents.ToolCalled, Result = AuditResults.Ok };

        Field(AuditTestData.Line(record), "ts").GetString().Should().Be(expected);
    }

    [Fact]
    public void Format_ValuesWithLineBreaksQuotesAndNonAscii_StayOnOneAsciiLine()
    {
        var record = new AuditRecord
        {
            Timestamp = AuditTestData.Noon,
            Event = AuditEvents.ToolCalled,
            Result = AuditResults.Ok,
            Subject = "zoë\n{\"event\":\"forged\"}",
            Tool = "tool\r\nname\u2028",
        };
        var output = new ArrayBufferWriter<byte>();

        AuditRecordFormatter.WriteLine(record, output);

        var line = Encoding.UTF8.GetString(output.WrittenSpan);
        line.Should().EndWith("\n");
        line.Count(c => c == '\n').Should().Be(1);
        line.Should().NotContain("\r");
        line.All(char.IsAscii).Should().BeTrue();
        Field(line, "subject").GetString().Should().Be("zoë\n{\"event\":\"forged\"}");
    }

    [Theory]
    [InlineData("2025-03-04T12:00:00.000Z")]
    [InlineData("1999-12-31T23:59:59.999Z")]
    public void Format_Timestamp_IsTheSharedTimestampFormat(string text)
    {
        var at = DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(2));

        Field(AuditTestData.Line(AuditTestData.Denial(at: at)), "ts").GetString().Should().Be(AuditTimestamp.ToText(at)).And.Be(text);
    }

    [Fact]
    public void Format_UnpairedSurrogateInToolName_WritesReplacementCharacterInsteadOfFailing()
    {
        var record = new AuditRecord { Timestamp = AuditTestData.Noon, Event = AuditEvents.ToolCalled, Result = AuditResults.Ok, Tool = "bad\uD800name" };

        var json = AuditTestData.Line(record);

        Field(json, "tool").GetString().Should().Be("bad\uFFFDname");
    }

    [Fact]
    public void AuditRecord_Properties_AreOnlyTheContractFields()
    {
        // The record is the only input to the line: a property added for a token, a header, an argument value or
        // upstream error text would be the first step to writing one. Adding a field must be a contract change.
        var properties = typeof(AuditRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

        properties.Should().BeEquivalentTo(
            "Timestamp", "Event", "DecisionId", "TraceId", "JsonRpcId", "Subject", "Roles", "Auth", "Server", "Method",
            "Tool", "Resource", "Prompt", "Decision", "Result", "DurationMs", "UpstreamStatus", "ArgKeys", "Hidden", "CredentialRoles", "RateLimitRule", "Issuer", "ClientId", "AuthError", "GateInstance");
    }

    [Fact]
    public void Format_DecisionWithReasonsAndIdentity_WritesNoFreeTextFromIt()
    {
        // The Decision carries the classifier's reasons (derived from upstream-supplied descriptions) and a human
        // reason sentence; neither belongs on the line, which takes only the decision's enumerated fields.
        var record = AuditTestData.Denial();

        var json = AuditTestData.Line(record);

        json.Should().NotContain("creates a pull request");
        json.Should().NotContain(record.Decision!.Value.Reason);
        json.Should().NotContain("reason");
    }

    [Fact]
    public void Format_ToolCallWithArgumentNames_WritesNamesOnly()
    {
        var json = AuditTestData.Line(AuditTestData.Denial());

        Field(json, "arg_keys").EnumerateArray().Select(e => e.GetString()).Should().Equal("repo", "title");
    }

    private static List<string> PropertyNames(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
    }

    private static JsonElement Field(string json, string name)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(name).Clone();
    }
}
