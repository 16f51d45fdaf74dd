using System.Globalization;
using McpGate.Cli.Output;
using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Commands.Acl;

/// <summary>
/// The human output of <c>mcp acl check</c>: one line per check, e.g.
/// <c>ALLOW  bob → github/list_repos  via dev[0]  access=read  classification=classifier:read (0.50)</c>,
/// with the reason on the next line for a denial; <c>--all-tools</c> prints an aligned table.
/// </summary>
internal static class CheckText
{
    private const string Indent = "       ";

    public static void WriteLine(TextWriter output, TerminalStyle style, CheckResult result)
    {
        var decision = result.Decision;
        var line = $"{style.Verdict(decision.Verdict, VerdictLabel(decision.Verdict).PadRight(5))}  " +
            $"{Who(decision.Identity, result.EffectiveRoles)} → {TargetLabel(decision)}  via {decision.MatchedRule}  " +
            $"access={decision.AccessKind.ToWire()}{(decision.AccessSource == AccessSource.Explicit ? " (explicit)" : string.Empty)}";
        if (decision.TargetKind == TargetKind.Tool)
        {
            line += "  classification=" + (result.ToolKnown == false
                ? "none (the upstream does not list this tool)"
                : ClassificationLabel(decision.Classification) + ConfidenceSuffix(decision.Classification));
        }

        output.WriteLine(line);
        if (!decision.IsAllowed)
        {
            output.WriteLine(Indent + decision.Reason);
        }

        if (result.RateLimits is { Count: > 0 } rules)
        {
            var counted = string.Join(", ", rules.Select(r => $"{r.Name} ({r.Describe()})"));
            output.WriteLine(Indent + (decision.IsAllowed ? "rate limits: " : "rate limits (were it allowed): ") + counted);
        }
    }

    /// <summary>
    /// <c>--token</c>: what the token resolved to, before the decision, e.g.
    /// <c>token  valid: subject alice (claim email), roles admin (groups: sre), issued by https://… to claude-code</c>.
    /// </summary>
    public static void WriteToken(TextWriter output, Gateway.Authentication.OAuthTokenReport report)
    {
        var roles = report.Roles.Count == 0
            ? "no roles"
            : "roles " + string.Join(", ", report.Roles.Select(r => r.Role == r.Value ? $"{r.Role} ({r.Claim})" : $"{r.Role} ({r.Claim}: {r.Value})"));
        output.WriteLine(
            $"token  valid: subject {report.Identity!.Subject} (claim {report.SubjectClaim}), {roles}, " +
            $"issued by {report.Issuer ?? "?"}{(report.ClientId is null ? string.Empty : " to " + report.ClientId)}");
    }

    public static void WriteTable(
        TextWriter output, TerminalStyle style, Identity identity, IReadOnlyList<string> effectiveRoles, string server, IReadOnlyList<CheckResult> results)
    {
        var table = new TextTable("TOOL", "DECISION", "RULE", "ACCESS", "CLASSIFICATION", "CONFIDENCE");
        var allowed = 0;
        foreach (var result in results)
        {
            var decision = result.Decision;
            if (decision.IsAllowed)
            {
                allowed++;
            }

            table.AddRow(
                decision.Target,
                VerdictLabel(decision.Verdict),
                decision.MatchedRule,
                decision.AccessKind.ToWire(),
                ClassificationLabel(decision.Classification) + (decision.Classification is { Conflict: true } ? ", conflict" : string.Empty),
                Confidence(decision.Classification));
        }

        table.Write(output, (row, column, text) => column == 1 ? style.Verdict(results[row].Decision.Verdict, text) : text);
        output.WriteLine();
        output.WriteLine(
            $"{results.Count} {(results.Count == 1 ? "tool" : "tools")} on {server} for {Who(identity, effectiveRoles)}: " +
            $"{allowed} allowed, {results.Count - allowed} denied");
    }

    internal static string VerdictLabel(Verdict verdict) => verdict == Verdict.Allow ? "ALLOW" : "DENY";

    internal static string Who(Identity identity, IReadOnlyList<string> effectiveRoles)
    {
        if (identity.Subject is { } subject)
        {
            return subject;
        }

        return effectiveRoles.Count == 0 ? "(no subject, no roles)" : $"(roles: {string.Join(", ", effectiveRoles)})";
    }

    internal static string ClassificationLabel(ToolClassification? classification) =>
        classification is null ? "unknown" : $"{classification.Source.ToWire()}:{classification.Kind.ToWire()}";

    internal static string Confidence(ToolClassification? classification) =>
        classification is null ? "-" : classification.Confidence.ToString("0.00", CultureInfo.InvariantCulture);

    private static string ConfidenceSuffix(ToolClassification? classification)
    {
        if (classification is null)
        {
            return string.Empty;
        }

        return $" ({Confidence(classification)}{(classification.Conflict ? ", conflict" : string.Empty)})";
    }

    private static string TargetLabel(in Decision decision) => decision.TargetKind switch
    {
        TargetKind.Tool => $"{decision.Server}/{decision.Target}",
        TargetKind.Resource => $"resource {decision.Server}/{decision.Target}",
        _ => $"prompt {decision.Server}/{decision.Target}",
    };
}
