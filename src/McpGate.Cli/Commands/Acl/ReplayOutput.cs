using System.Globalization;
using McpGate.Cli.Output;
using McpGate.Analysis.Replay;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Commands.Acl;

/// <summary>The three outputs of <c>mcp acl replay</c>: text, JSON, and markdown for a pull-request comment.</summary>
internal static class ReplayOutput
{
    public static void WriteText(TextWriter output, ReplayContext context, ReplayReport report)
    {
        output.WriteLine($"Replayed {N(report.Decisions)} decisions from {context.Log}{Window(report)} under {context.Candidate}");
        output.WriteLine($"compared with {(context.Baseline is { } baseline ? "the baseline " + baseline : "the decisions the gate recorded")}");
        output.WriteLine($"  {N(report.Loosened)} loosened (deny -> allow), {N(report.Tightened)} tightened (allow -> deny), {N(report.Unchanged)} unchanged");
        if (report.Groups.Count > 0)
        {
            output.WriteLine();
            var table = new TextTable("CHANGE", "SUBJECT", "SERVER", "TARGET", "COUNT", "FIRST SEEN", "LAST SEEN", "RULE", "SAMPLE DECISION");
            foreach (var group in report.Groups)
            {
                table.AddRow(
                    Change(group.Key.Change),
                    group.Key.Subject ?? "-",
                    group.Key.Server,
                    $"{group.Key.TargetKind.ToWire()} {group.Key.Target}",
                    N(group.Count),
                    Time(group.FirstSeen),
                    Time(group.LastSeen),
                    $"{group.BeforeRule} -> {group.AfterRule}",
                    group.SampleDecisionId ?? "-");
            }

            table.Write(output);
        }

        foreach (var note in Notes(report, context))
        {
            output.WriteLine();
            output.Write("Note: ");
            output.WriteLine(note);
        }
    }

    public static void WriteJson(TextWriter output, ReplayContext context, ReplayReport report) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("candidate", context.Candidate);
            writer.WriteString("baseline", context.Baseline);
            writer.WriteString("log", context.Log);
            writer.WriteString("since", context.Since);
            writer.WriteStartObject("totals");
            writer.WriteNumber("lines", report.Lines);
            writer.WriteNumber("decisions", report.Decisions);
            writer.WriteNumber("unchanged", report.Unchanged);
            writer.WriteNumber("tightened", report.Tightened);
            writer.WriteNumber("loosened", report.Loosened);
            writer.WriteNumber("not_decisions", report.NotDecisions);
            writer.WriteNumber("before_since", report.BeforeSince);
            writer.WriteNumber("malformed", report.Malformed);
            writer.WriteNumber("without_credential_roles", report.WithoutCredentialRoles);
            writer.WriteString("first_seen", Iso(report.FirstSeen));
            writer.WriteString("last_seen", Iso(report.LastSeen));
            writer.WriteEndObject();
            writer.WriteStartArray("changes");
            foreach (var group in report.Groups)
            {
                writer.WriteStartObject();
                writer.WriteString("change", Change(group.Key.Change));
                writer.WriteString("subject", group.Key.Subject);
                writer.WriteString("server", group.Key.Server);
                writer.WriteString("target_kind", group.Key.TargetKind.ToWire());
                writer.WriteString("target", group.Key.Target);
                writer.WriteNumber("count", group.Count);
                writer.WriteString("first_seen", Iso(group.FirstSeen));
                writer.WriteString("last_seen", Iso(group.LastSeen));
                writer.WriteString("rule_before", group.BeforeRule);
                writer.WriteString("rule_after", group.AfterRule);
                writer.WriteString("sample_decision_id", group.SampleDecisionId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    public static void WriteMarkdown(TextWriter output, ReplayContext context, ReplayReport report)
    {
        output.WriteLine($"### Policy replay: `{Path.GetFileName(context.Candidate)}`");
        output.WriteLine();
        output.WriteLine($"Replayed **{N(report.Decisions)}** audited decisions{Window(report)} under the candidate, compared with "
            + (context.Baseline is { } baseline ? $"the baseline `{Path.GetFileName(baseline)}`." : "the decisions the gate recorded."));
        output.WriteLine();
        output.WriteLine("| change | decisions |");
        output.WriteLine("|---|---:|");
        output.WriteLine($"| **loosened** (deny → allow) | {N(report.Loosened)} |");
        output.WriteLine($"| **tightened** (allow → deny) | {N(report.Tightened)} |");
        output.WriteLine($"| unchanged | {N(report.Unchanged)} |");
        if (report.Groups.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("| change | subject | server | target | count | first seen | last seen | rule before → after | sample decision_id |");
            output.WriteLine("|---|---|---|---|---:|---|---|---|---|");
            foreach (var group in report.Groups)
            {
                output.WriteLine(
                    $"| {Change(group.Key.Change)} | {Cell(group.Key.Subject ?? "-")} | {Cell(group.Key.Server)} | {group.Key.TargetKind.ToWire()} {Cell(group.Key.Target)} " +
                    $"| {N(group.Count)} | {Time(group.FirstSeen)} | {Time(group.LastSeen)} | {Cell(group.BeforeRule)} → {Cell(group.AfterRule)} | {Cell(group.SampleDecisionId ?? "-")} |");
            }
        }
        else
        {
            output.WriteLine();
            output.WriteLine("No audited decision would change.");
        }

        foreach (var note in Notes(report, context))
        {
            output.WriteLine();
            output.WriteLine("> " + note);
        }
    }

    private static IEnumerable<string> Notes(ReplayReport report, ReplayContext context)
    {
        if (report.WithoutCredentialRoles > 0)
        {
            yield return $"{N(report.WithoutCredentialRoles)} decisions were written before the audit log recorded credential_roles; they were replayed as if the credential carried every recorded role, so a role removed from a subject in the config does not show for them.";
        }

        if (report.BeforeSince > 0)
        {
            yield return $"{N(report.BeforeSince)} decisions older than --since {context.Since} were left out.";
        }

        if (report.Malformed > 0)
        {
            yield return $"{N(report.Malformed)} lines were not audit records (torn or foreign) and were skipped.";
        }
    }

    private static string Window(ReplayReport report) =>
        report.FirstSeen is { } first && report.LastSeen is { } last ? $" ({Time(first)} to {Time(last)})" : string.Empty;

    private static string Change(ReplayChange change) => change == ReplayChange.Loosened ? "loosened" : "tightened";

    // Markdown tables split on '|', and a caller picks tool names and URIs: escape what would break the row.
    private static string Cell(string value) =>
        "`" + value.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal) + "`";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string? Iso(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
