using System.Globalization;
using System.Text;
using System.Text.Json;
using McpGate.Audit;
using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;

namespace McpGate.Cli.Commands.Audit;

/// <summary>One evaluation, ready to print.</summary>
internal sealed class AlertReport(AlertEvaluator evaluator, IReadOnlyList<AlertRule> rules, ScanSummary scan, string since, string log)
{
    public IReadOnlyList<Alert> Alerts { get; } = evaluator.Alerts();

    public IReadOnlyList<AlertRule> Rules { get; } = rules;

    public AlertEvaluator Evaluator { get; } = evaluator;

    public ScanSummary Scan { get; } = scan;

    public string Since { get; } = since;

    public string Log { get; } = log;
}

internal static class AlertReportWriter
{
    /// <summary>
    /// One line per alert, most severe first, then a summary, e.g.
    /// <c>ALERT  high    capability_denied_24h  subject=bob  11 in 24h (threshold 10)  2025-03-04T09:00:00.000Z .. 2025-03-04T11:00:00.000Z</c>.
    /// </summary>
    public static void WriteText(AlertReport report, TextWriter output)
    {
        foreach (var alert in report.Alerts)
        {
            var group = alert.GroupText.Length > 0 ? alert.GroupText : "(all)";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ALERT  {Severity(alert.Rule.Severity),-8} {alert.Rule.Name}  {group}  {alert.Count} in {Window(alert.Rule, report)} (threshold {alert.Rule.Threshold})  {Ts(alert.FirstSeen)} .. {Ts(alert.LastSeen)}"));
            if (!string.IsNullOrEmpty(alert.Rule.Description))
            {
                output.WriteLine($"       {alert.Rule.Description}");
            }
        }

        var evaluator = report.Evaluator;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{report.Rules.Count} rule(s), {evaluator.LinesInRange} line(s) in range of {evaluator.Lines} read from {report.Scan.FilesRead} file(s) (since {report.Since}); {evaluator.MalformedLines} malformed line(s) skipped");
        output.WriteLine(report.Alerts.Count switch
        {
            0 => $"no alerts: {summary}",
            1 => $"1 alert: {summary}",
            var n => $"{n} alerts: {summary}",
        });
    }

    /// <summary>One JSON object: the alerts, the rules evaluated and what was read.</summary>
    public static void WriteJson(AlertReport report, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var evaluator = report.Evaluator;
            writer.WriteStartObject();
            writer.WriteString("evaluated_at", Ts(evaluator.Now));
            writer.WriteString("since", report.Since);
            writer.WriteString("log", report.Log);
            writer.WriteNumber("files_read", report.Scan.FilesRead);
            writer.WriteNumber("files_skipped", report.Scan.FilesSkipped);
            writer.WriteNumber("lines", evaluator.Lines);
            writer.WriteNumber("lines_in_range", evaluator.LinesInRange);
            writer.WriteNumber("malformed_lines", evaluator.MalformedLines);
            writer.WriteStartArray("malformed_samples");
            foreach (var sample in evaluator.MalformedSamples)
            {
                writer.WriteStringValue(sample);
            }

            writer.WriteEndArray();

            writer.WriteStartArray("alerts");
            foreach (var alert in report.Alerts)
            {
                writer.WriteStartObject();
                writer.WriteString("rule", alert.Rule.Name);
                writer.WriteString("severity", Severity(alert.Rule.Severity));
                writer.WriteStartObject("group");
                foreach (var (field, value) in alert.Group)
                {
                    writer.WriteString(field, value);
                }

                writer.WriteEndObject();
                writer.WriteNumber("count", alert.Count);
                writer.WriteNumber("threshold", alert.Rule.Threshold);
                writer.WriteString("window", Window(alert.Rule, report));
                writer.WriteString("first_ts", Ts(alert.FirstSeen));
                writer.WriteString("last_ts", Ts(alert.LastSeen));
                writer.WriteString("description", alert.Rule.Description);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();

            writer.WriteStartArray("rules");
            foreach (var rule in report.Rules)
            {
                writer.WriteStartObject();
                writer.WriteString("name", rule.Name);
                writer.WriteString("severity", Severity(rule.Severity));
                writer.WriteString("window", rule.WindowText);
                writer.WriteNumber("threshold", rule.Threshold);
                writer.WriteStartArray("match");
                foreach (var match in rule.Match)
                {
                    writer.WriteStringValue(match.ToString());
                }

                writer.WriteEndArray();
                writer.WriteStartArray("group_by");
                foreach (var field in rule.GroupBy)
                {
                    writer.WriteStringValue(field);
                }

                writer.WriteEndArray();
                writer.WriteBoolean("built_in", rule.IsBuiltIn);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length));
    }

    private static string Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Low => "low",
        AlertSeverity.Medium => "medium",
        AlertSeverity.High => "high",
        _ => "critical",
    };

    // The window that was applied: --since when it is the narrower.
    private static string Window(AlertRule rule, AlertReport report)
        => report.Evaluator.Since < rule.Window ? report.Since : rule.WindowText;

    private static string Ts(DateTimeOffset value) => AuditTimestamp.ToText(value);
}
