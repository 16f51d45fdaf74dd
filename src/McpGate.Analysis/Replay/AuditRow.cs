using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Replay;

/// <summary>
/// The fields of one audit line (docs/audit.md) that replay needs. One instance is refilled for every line, and its
/// strings are interned, so reading a log allocates per distinct value rather than per row.
/// </summary>
internal sealed class AuditRow
{
    private readonly byte[] _decisionId = new byte[64];

    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>What the decision was about, from <c>event</c>; null for lines that record no decision of a target.</summary>
    public TargetKind? TargetKind { get; set; }

    public string? Subject { get; set; }

    /// <summary><c>roles</c>: the effective roles (credential and configured, merged) at the time.</summary>
    public IReadOnlyList<string> Roles { get; set; } = [];

    /// <summary><c>credential_roles</c>; null when the line has no such field (written before it existed).</summary>
    public IReadOnlyList<string>? CredentialRoles { get; set; }

    public AuthSource Auth { get; set; }

    public string? Server { get; set; }

    public string? Target { get; set; }

    public Verdict? Decision { get; set; }

    public string? MatchedRule { get; set; }

    public ToolKind? ClassificationKind { get; set; }

    public ClassificationSource? ClassificationSource { get; set; }

    public double? ClassificationConfidence { get; set; }

    public int DecisionIdLength { get; private set; }

    public ReadOnlySpan<byte> DecisionId => _decisionId.AsSpan(0, DecisionIdLength);

    public void SetDecisionId(ReadOnlySpan<byte> utf8)
    {
        // Decision ids are 32 hex digits; a longer one is cut, which only shortens a sample in the report.
        var length = Math.Min(utf8.Length, _decisionId.Length);
        utf8[..length].CopyTo(_decisionId);
        DecisionIdLength = length;
    }

    public void Reset()
    {
        Timestamp = null;
        TargetKind = null;
        Subject = null;
        Roles = [];
        CredentialRoles = null;
        Auth = AuthSource.Anonymous;
        Server = null;
        Target = null;
        Decision = null;
        MatchedRule = null;
        ClassificationKind = null;
        ClassificationSource = null;
        ClassificationConfidence = null;
        DecisionIdLength = 0;
    }
}
