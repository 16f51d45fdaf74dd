using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Replay;

/// <summary>Which way a re-decided request moved.</summary>
public enum ReplayChange
{
    /// <summary>allow → deny.</summary>
    Tightened,

    /// <summary>deny → allow.</summary>
    Loosened,
}

/// <summary>Who, where and what a group of changed decisions is about.</summary>
public readonly record struct ReplayGroupKey(ReplayChange Change, string? Subject, string Server, TargetKind TargetKind, string Target);

/// <summary>Every changed decision of one <see cref="ReplayGroupKey"/>: how many, when, a sample, and the rules before and after.</summary>
public sealed class ReplayGroup(ReplayGroupKey key, DateTimeOffset? firstSeen, string? sampleDecisionId, string beforeRule, string afterRule)
{
    public ReplayGroupKey Key { get; } = key;

    public long Count { get; set; }

    public DateTimeOffset? FirstSeen { get; set; } = firstSeen;

    public DateTimeOffset? LastSeen { get; set; } = firstSeen;

    public string? SampleDecisionId { get; } = sampleDecisionId;

    /// <summary>The <c>matched_rule</c> before (as recorded, or under the baseline) and after, for the sample.</summary>
    public string BeforeRule { get; } = beforeRule;

    public string AfterRule { get; } = afterRule;
}

/// <summary>What a replay found: the totals and the changed decisions, grouped.</summary>
public sealed class ReplayReport
{
    /// <summary>Lines read, of every kind.</summary>
    public long Lines { get; set; }

    /// <summary>Decisions re-decided (tool calls, resource reads, prompt gets with a recorded decision).</summary>
    public long Decisions { get; set; }

    public long Unchanged { get; set; }

    public long Tightened { get; set; }

    public long Loosened { get; set; }

    /// <summary>Lines that record no decision (auth failures, rejections, filtered lists).</summary>
    public long NotDecisions { get; set; }

    /// <summary>Decisions older than <c>--since</c>.</summary>
    public long BeforeSince { get; set; }

    /// <summary>Lines that are not audit JSON (torn, foreign, or too long).</summary>
    public long Malformed { get; set; }

    /// <summary>
    /// Decisions written before <c>credential_roles</c> existed: replayed with every recorded role as if the
    /// credential carried it, so a role removed from the subject in the config does not show for them.
    /// </summary>
    public long WithoutCredentialRoles { get; set; }

    public DateTimeOffset? FirstSeen { get; set; }

    public DateTimeOffset? LastSeen { get; set; }

    public List<ReplayGroup> Groups { get; } = [];
}
