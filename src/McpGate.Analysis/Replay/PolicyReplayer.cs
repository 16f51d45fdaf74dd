using System.Text;
using McpGate.Audit.Reading;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Replay;

/// <summary>
/// <c>mcp acl replay</c>: re-decides every audited decision under a candidate config, from what the line recorded
/// (identity, server, target, classification), with the candidate's own evaluator; no upstream is contacted.
/// A tool's classification is re-derived only as far as the config decides it: the candidate's <c>tool_acl</c>
/// override when one matches, otherwise the recorded classification. With a baseline, both configs are re-decided
/// the same way and compared with each other, so a classification that drifted since the line was written is not
/// mistaken for a policy change.
/// </summary>
public sealed class PolicyReplayer : IAuditLineConsumer
{
    private static readonly IReadOnlyList<string> s_noReasons = Array.AsReadOnly(Array.Empty<string>());

    private readonly GateConfig _candidate;
    private readonly GateConfig? _baseline;
    private readonly DateTimeOffset? _since;
    private readonly AuditLineParser _parser = new();
    private readonly AuditRow _row = new();
    private readonly Dictionary<ReplayGroupKey, ReplayGroup> _groups = [];
    private readonly Dictionary<(ToolKind, ClassificationSource, double), ToolClassification> _classifications = [];
    private readonly Dictionary<IdentityKey, Identity> _identities = [];

    // tool_acl overrides per (config, server, tool), misses included: building an override's verdict allocates its
    // reason text, and a log repeats the same few tools a million times.
    private readonly Dictionary<(GateConfig, string, string), ToolClassification?> _overrides = [];

    public PolicyReplayer(GateConfig candidate, GateConfig? baseline, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        _candidate = candidate;
        _baseline = baseline;
        _since = since;
    }

    public ReplayReport Report { get; } = new();

    /// <summary>Files last written before <c>--since</c> hold nothing to replay: the scanner does not open them.</summary>
    DateTimeOffset? IAuditLineConsumer.NotBefore => _since;

    /// <summary>Replays every line of <paramref name="log"/>; call once per file, oldest first.</summary>
    public void Replay(Stream log, CancellationToken cancellationToken) =>
        AuditLogScanner.ScanStream(log, "log", this, cancellationToken);

    void IAuditLineConsumer.Add(ReadOnlySpan<byte> line, string source, long lineNumber) => ReplayLine(line);

    void IAuditLineConsumer.AddOversizedLine(string source, long lineNumber) => Report.Malformed++;

    /// <summary>The groups, riskiest first: loosened before tightened, then the most frequent.</summary>
    public ReplayReport Finish()
    {
        Report.Groups.Clear();
        Report.Groups.AddRange(_groups.Values
            .OrderBy(g => g.Key.Change == ReplayChange.Loosened ? 0 : 1)
            .ThenByDescending(g => g.Count)
            .ThenBy(g => g.Key.Subject, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Server, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Target, StringComparer.Ordinal));
        return Report;
    }

    private void ReplayLine(ReadOnlySpan<byte> line)
    {
        if (line.Trim(" \t\r"u8).IsEmpty)
        {
            return;
        }

        Report.Lines++;
        var row = _row;
        if (!_parser.TryParse(line, row))
        {
            Report.Malformed++;
            return;
        }

        if (row.TargetKind is not { } kind || row.Decision is not { } recorded || row.Server is null || row.Target is null)
        {
            Report.NotDecisions++;
            return;
        }

        if (_since is { } since && row.Timestamp is { } at && at < since)
        {
            Report.BeforeSince++;
            return;
        }

        Report.Decisions++;
        if (row.CredentialRoles is null)
        {
            Report.WithoutCredentialRoles++;
        }

        if (row.Timestamp is { } ts)
        {
            Report.FirstSeen ??= ts;
            Report.LastSeen = ts;
        }

        var identity = IdentityOf(row);
        var recordedClassification = RecordedClassification(row);
        Verdict before;
        string beforeRule;
        if (_baseline is null)
        {
            before = recorded;
            beforeRule = row.MatchedRule ?? "?";
        }
        else
        {
            var baseline = Decide(_baseline, identity, row, kind, recordedClassification);
            before = baseline.Verdict;
            beforeRule = baseline.MatchedRule;
        }

        var after = Decide(_candidate, identity, row, kind, recordedClassification);
        if (after.Verdict == before)
        {
            Report.Unchanged++;
            return;
        }

        var change = after.IsAllowed ? ReplayChange.Loosened : ReplayChange.Tightened;
        if (change == ReplayChange.Loosened)
        {
            Report.Loosened++;
        }
        else
        {
            Report.Tightened++;
        }

        var key = new ReplayGroupKey(change, row.Subject, row.Server, kind, row.Target);
        if (!_groups.TryGetValue(key, out var group))
        {
            var sample = row.DecisionIdLength == 0 ? null : Encoding.UTF8.GetString(row.DecisionId);
            group = new ReplayGroup(key, row.Timestamp, sample, beforeRule, after.MatchedRule);
            _groups.Add(key, group);
        }

        group.Count++;
        if (row.Timestamp is { } seen)
        {
            group.FirstSeen ??= seen;
            group.LastSeen = seen;
        }
    }

    private Decision Decide(GateConfig config, Identity identity, AuditRow row, TargetKind kind, ToolClassification? recorded)
    {
        var classification = kind == TargetKind.Tool ? Override(config, row.Server!, row.Target!) ?? recorded : null;
        return config.Evaluator.Evaluate(identity, row.Server!, kind, row.Target!, classification);
    }

    private ToolClassification? Override(GateConfig config, string server, string tool)
    {
        if (!_overrides.TryGetValue((config, server, tool), out var classification))
        {
            if (_overrides.Count >= 50_000)
            {
                _overrides.Clear();
            }

            classification = config.Servers.TryGetValue(server, out var upstream) ? ToolClassifier.ClassifyByOverride(upstream.ToolAcl, tool) : null;
            _overrides.Add((config, server, tool), classification);
        }

        return classification;
    }

    /// <summary>The credential's own roles (the config's are merged in by the evaluator); all roles for an older line.</summary>
    private Identity IdentityOf(AuditRow row)
    {
        var roles = row.CredentialRoles ?? row.Roles;
        var key = new IdentityKey(row.Subject, roles, row.Auth);
        if (!_identities.TryGetValue(key, out var identity))
        {
            if (_identities.Count >= 10_000)
            {
                _identities.Clear();
            }

            identity = new Identity(row.Subject, roles, row.Auth);
            _identities.Add(key, identity);
        }

        return identity;
    }

    private ToolClassification? RecordedClassification(AuditRow row)
    {
        if (row.ClassificationKind is not { } kind)
        {
            return null;
        }

        var source = row.ClassificationSource ?? ClassificationSource.Fallback;
        var confidence = row.ClassificationConfidence ?? 0;
        if (!_classifications.TryGetValue((kind, source, confidence), out var classification))
        {
            classification = new ToolClassification(kind, source, confidence, s_noReasons, Conflict: false, Score: 0);
            _classifications.Add((kind, source, confidence), classification);
        }

        return classification;
    }

    /// <summary>Role lists are interned by the parser, so comparing them by reference is comparing them by value.</summary>
    private readonly struct IdentityKey(string? subject, IReadOnlyList<string> roles, AuthSource auth) : IEquatable<IdentityKey>
    {
        private readonly string? _subject = subject;
        private readonly IReadOnlyList<string> _roles = roles;
        private readonly AuthSource _auth = auth;

        public bool Equals(IdentityKey other) =>
            ReferenceEquals(_subject, other._subject) && ReferenceEquals(_roles, other._roles) && _auth == other._auth;

        public override bool Equals(object? obj) => obj is IdentityKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(_subject, System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_roles), _auth);
    }
}
