using McpGate.Policy.Evaluation;
using McpGate.Policy.Globbing;

namespace McpGate.Policy.RateLimits;

/// <summary>
/// One <c>gateway.rateLimits</c> rule (docs/observability.md, "Rate limits"): who (subjects and/or roles, <c>*</c>
/// for everyone), which tool calls (server and tool globs, access) and how many per window. Applies to
/// <c>tools/call</c> the ACL allowed; each subject has its own bucket per rule.
/// </summary>
public sealed class RateLimitRule
{
    /// <summary>The rule's <c>name</c>, or its place (<c>rateLimits[0]</c>): what the audit row and the error name.</summary>
    public required string Name { get; init; }

    /// <summary>Subject names; <c>*</c> matches every caller.</summary>
    public IReadOnlyList<string> Subjects { get; init; } = [];

    /// <summary>Role names (the caller's effective roles); <c>*</c> matches every caller.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    public required Glob Server { get; init; }

    public required Glob Tool { get; init; }

    /// <summary>The access kind limited; null for <c>*</c> (both).</summary>
    public AccessKind? Access { get; init; }

    /// <summary>Calls allowed per <see cref="Per"/>: the bucket's size, refilled in full every window.</summary>
    public required int Limit { get; init; }

    public required TimeSpan Per { get; init; }

    /// <summary>
    /// Everything that makes two rules the same bucket: a reload keeps the buckets of rules whose key is unchanged
    /// and drops the others.
    /// </summary>
    public string Key =>
        $"{Name}\u001f{string.Join('\u001e', Subjects)}\u001f{string.Join('\u001e', Roles)}\u001f{Server.Pattern}\u001f{Tool.Pattern}\u001f{Access}\u001f{Limit}\u001f{Per.Ticks}";

    /// <summary>Whether the rule covers this caller's call of <paramref name="tool"/> on <paramref name="server"/>.</summary>
    public bool AppliesTo(string? subject, IReadOnlyList<string> effectiveRoles, string server, string tool, AccessKind access)
    {
        if ((Access is { } limited && limited != access) || !Server.IsMatch(server) || !Tool.IsMatch(tool))
        {
            return false;
        }

        if (Subjects.Contains("*") || Roles.Contains("*") || (subject is not null && Subjects.Contains(subject)))
        {
            return true;
        }

        if (Roles.Count == 0)
        {
            return false;
        }

        foreach (var role in effectiveRoles)
        {
            if (Roles.Contains(role))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"30 per 1m": how the CLI and the docs show a limit.</summary>
    public string Describe() => $"{Limit} per {RateLimitWindows.Format(Per)}";
}

/// <summary>Which rules would count a call: what <c>mcp acl check</c> shows.</summary>
public static class RateLimitRules
{
    public static IReadOnlyList<RateLimitRule> Applying(IReadOnlyList<RateLimitRule> rules, in Decision decision, IReadOnlyList<string> effectiveRoles)
    {
        if (decision.TargetKind != TargetKind.Tool)
        {
            return [];
        }

        var applying = new List<RateLimitRule>();
        foreach (var rule in rules)
        {
            if (rule.AppliesTo(decision.Identity.Subject, effectiveRoles, decision.Server, decision.Target, decision.AccessKind))
            {
                applying.Add(rule);
            }
        }

        return applying;
    }
}
