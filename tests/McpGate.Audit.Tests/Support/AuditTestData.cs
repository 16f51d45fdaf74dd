using System.Buffers;
using System.Text;
using McpGate.Audit;
using McpGate.Audit.Formatting;
using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Audit.Tests.Support;

internal static class AuditTestData
{
    public static readonly DateTimeOffset Noon = new(2025, 3, 4, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The record's audit line, without its <c>\n</c>.</summary>
    public static string Line(AuditRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        AuditRecordFormatter.WriteLine(record, output);
        return Encoding.UTF8.GetString(output.WrittenSpan).TrimEnd('\n');
    }

    public static Decision DenyDecision(string subject = "bob", string server = "github", string tool = "create_pr") => new(
        Verdict.Deny,
        "dev[1]",
        AccessKind.Write,
        AccessSource.Classification,
        GrantAccess.Read,
        new ToolClassification(ToolKind.Write, ClassificationSource.Classifier, 0.6, ["description says 'creates a pull request'"], Conflict: false, Score: -6),
        DecisionBasis.DenyGrant,
        new Identity(subject, ["dev"], AuthSource.Bearer),
        server,
        TargetKind.Tool,
        tool);

    public static AuditRecord Denial(string decisionId = "d-1", DateTimeOffset? at = null, string subject = "bob") => new()
    {
        Timestamp = at ?? Noon,
        Event = AuditEvents.ToolCalled,
        DecisionId = decisionId,
        TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
        JsonRpcId = "7",
        Subject = subject,
        Roles = ["dev", "oncall"],
        Auth = "bearer",
        Server = "github",
        Method = "tools/call",
        Tool = "create_pr",
        Decision = DenyDecision(subject),
        Result = AuditResults.CapabilityDenied,
        DurationMs = 0,
        ArgKeys = ["repo", "title"],
    };

    public static AuditRecord Minimal(string auditEvent = AuditEvents.AuthFailed, string result = AuditResults.Unauthenticated) => new()
    {
        Timestamp = Noon,
        Event = auditEvent,
        Result = result,
    };
}
