using System.Text.Json;
using McpGate.Cli.Output;
using McpGate.Policy.Evaluation;
using McpGate.Policy.RateLimits;

namespace McpGate.Cli.Commands.Acl;

/// <summary>
/// The <c>--format json</c> shape of <c>mcp acl check</c> (docs/cli.md, "`mcp acl check`"): exactly these fields, in
/// this order, null where there is no value, so scripts can rely on every key being present.
/// </summary>
internal static class CheckJson
{
    public static void WriteObject(TextWriter output, CheckResult result) =>
        JsonOutput.Write(output, writer => Write(writer, result));

    public static void WriteArray(TextWriter output, IReadOnlyList<CheckResult> results) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                Write(writer, result);
            }

            writer.WriteEndArray();
        });

    private static void Write(Utf8JsonWriter writer, CheckResult result)
    {
        var decision = result.Decision;
        var classification = decision.Classification;
        writer.WriteStartObject();
        writer.WriteString("subject", decision.Identity.Subject);
        JsonOutput.WriteStringArrayOrNull(writer, "roles", result.EffectiveRoles);
        writer.WriteString("server", decision.Server);
        writer.WriteString(decision.TargetKind.ToWire(), decision.Target);
        JsonOutput.WriteBooleanOrNull(writer, "tool_known", result.ToolKnown);
        writer.WriteString("decision", decision.Verdict.ToWire());
        writer.WriteString("matched_rule", decision.MatchedRule);
        writer.WriteString("reason", decision.Reason);
        writer.WriteString("access_kind", decision.AccessKind.ToWire());
        writer.WriteString("access_source", decision.AccessSource.ToWire());
        writer.WriteString("grant_access", decision.GrantAccess?.ToWire());
        writer.WriteString("classification_kind", classification?.Kind.ToWire());
        writer.WriteString("classification_source", classification?.Source.ToWire());
        JsonOutput.WriteNumberOrNull(writer, "classification_confidence", classification?.Confidence);
        JsonOutput.WriteStringArrayOrNull(writer, "classification_reasons", classification?.Reasons);
        WriteRateLimits(writer, result);
        WriteToken(writer, result);
        writer.WriteEndObject();
    }

    /// <summary>Added last (additively, issue 16): with <c>--token</c>, what the token resolved to; null otherwise.</summary>
    private static void WriteToken(Utf8JsonWriter writer, CheckResult result)
    {
        if (result.Token is not { } token)
        {
            writer.WriteNull("token");
            return;
        }

        writer.WriteStartObject("token");
        writer.WriteString("subject_claim", token.SubjectClaim);
        writer.WriteString("issuer", token.Issuer);
        writer.WriteString("client_id", token.ClientId);
        writer.WriteStartArray("roles");
        foreach (var origin in token.Roles)
        {
            writer.WriteStartObject();
            writer.WriteString("role", origin.Role);
            writer.WriteString("claim", origin.Claim);
            writer.WriteString("value", origin.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Added last (additively): the <c>gateway.rateLimits</c> rules that would count the call; null when none.</summary>
    private static void WriteRateLimits(Utf8JsonWriter writer, CheckResult result)
    {
        if (result.RateLimits is not { Count: > 0 } rules)
        {
            writer.WriteNull("rate_limits");
            return;
        }

        writer.WriteStartArray("rate_limits");
        foreach (var rule in rules)
        {
            writer.WriteStartObject();
            writer.WriteString("name", rule.Name);
            writer.WriteNumber("limit", rule.Limit);
            writer.WriteString("per", RateLimitWindows.Format(rule.Per));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
