using System.Text;
using McpGate.Audit;
using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;
using McpGate.Audit.Tests.Support;

namespace McpGate.Audit.Tests.Reading.Alerts;

/// <summary>Audit lines as the gate writes them (through the real formatter), fed to an evaluator.</summary>
internal static class AuditLines
{
    public static readonly DateTimeOffset Now = new(2025, 3, 5, 12, 0, 0, TimeSpan.Zero);

    public static AuditRecord Row(string result, string subject = "bob", TimeSpan? age = null, string auditEvent = AuditEvents.ToolCalled, string? server = "github", string? tool = "create_pr")
        => new()
        {
            Timestamp = Now - (age ?? TimeSpan.FromHours(1)),
            Event = auditEvent,
            DecisionId = Guid.NewGuid().ToString("n"),
            Subject = subject,
            Server = server,
            Tool = tool,
            Method = "tools/call",
            Decision = result == AuditResults.CapabilityDenied ? AuditTestData.DenyDecision(subject) : null,
            Result = result,
        };

    public static IEnumerable<AuditRecord> Rows(int count, string result, string subject = "bob", TimeSpan? age = null)
        => Enumerable.Range(0, count).Select(_ => Row(result, subject, age));

    public static AlertEvaluator Evaluate(IEnumerable<AuditRecord> records, IReadOnlyList<AlertRule>? rules = null, TimeSpan? since = null)
        => EvaluateLines(records.Select(AuditTestData.Line), rules, since);

    public static AlertEvaluator EvaluateLines(IEnumerable<string> lines, IReadOnlyList<AlertRule>? rules = null, TimeSpan? since = null)
    {
        var evaluator = new AlertEvaluator(rules ?? BuiltInAlertRules.All, Now, since ?? TimeSpan.FromHours(24));
        var number = 0;
        foreach (var line in lines)
        {
            evaluator.Add(Encoding.UTF8.GetBytes(line), "test.jsonl", ++number);
        }

        return evaluator;
    }
}
