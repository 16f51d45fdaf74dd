using McpGate.Policy.Classification;

namespace McpGate.Policy.Evaluation.Compiled;

/// <summary>Which column of the coverage table (docs/acl.md, "The coverage table") a request falls in.</summary>
internal enum CoverageColumn
{
    Read,
    Write,
    Ambiguous,
    Unknown,
}

/// <summary>One request with its effective access resolved (docs/acl.md, "The coverage table" step 3); a struct so
/// deciding allocates nothing.</summary>
internal readonly struct EvaluationRequest
{
    public EvaluationRequest(
        Identity identity,
        string server,
        TargetKind targetKind,
        string target,
        ToolClassification? classification,
        AccessKind? explicitAccess)
    {
        Identity = identity;
        Server = server;
        TargetKind = targetKind;
        Target = target;
        Classification = classification;
        Column = ColumnOf(targetKind, classification, explicitAccess);
        Access = Column == CoverageColumn.Read ? AccessKind.Read : AccessKind.Write;
        Source = targetKind == TargetKind.Tool && explicitAccess.HasValue ? AccessSource.Explicit : AccessSource.Classification;
    }

    public Identity Identity { get; }

    public string Server { get; }

    public TargetKind TargetKind { get; }

    public string Target { get; }

    public ToolClassification? Classification { get; }

    public CoverageColumn Column { get; }

    public AccessKind Access { get; }

    public AccessSource Source { get; }

    /// <summary>A tool whose classification is ambiguous or missing: what strictClassification refuses (step 6).</summary>
    public bool IsUncertainTool =>
        TargetKind == TargetKind.Tool && (Classification is null || Classification.Kind == ToolKind.Ambiguous);

    public Decision Decide(Verdict verdict, string matchedRule, GrantAccess? grantAccess, DecisionBasis basis) =>
        new(verdict, matchedRule, Access, Source, grantAccess, Classification, basis, Identity, Server, TargetKind, Target);

    // Resources and prompts are always read; an explicit access replaces the classification column; an ambiguous
    // or unknown tool keeps its own column because coverage (and strict mode) treat it differently from write.
    private static CoverageColumn ColumnOf(TargetKind kind, ToolClassification? classification, AccessKind? explicitAccess)
    {
        if (kind != TargetKind.Tool)
        {
            return CoverageColumn.Read;
        }

        if (explicitAccess is { } access)
        {
            return access == AccessKind.Read ? CoverageColumn.Read : CoverageColumn.Write;
        }

        if (classification is null)
        {
            return CoverageColumn.Unknown;
        }

        return classification.Kind switch
        {
            ToolKind.Read => CoverageColumn.Read,
            ToolKind.Write => CoverageColumn.Write,
            _ => CoverageColumn.Ambiguous,
        };
    }
}

/// <summary>
/// The coverage table of docs/acl.md, "The coverage table" as bit masks over <see cref="GrantAccess"/>: a grant covers
/// a request when its access bit is in the mask for its kind (allow or deny).
/// </summary>
internal static class Coverage
{
    public const int Read = 1 << (int)GrantAccess.Read;
    public const int Write = 1 << (int)GrantAccess.Write;
    public const int Any = 1 << (int)GrantAccess.Any;

    public static int Bit(GrantAccess access) => 1 << (int)access;

    /// <summary>Which allow grants cover the column: read→read,*; write→write,*; ambiguous→write,* (none strict); unknown→* (none strict).</summary>
    public static int AllowMask(CoverageColumn column, bool strict) => column switch
    {
        CoverageColumn.Read => Read | Any,
        CoverageColumn.Write => Write | Any,
        CoverageColumn.Ambiguous => strict ? 0 : Write | Any,
        _ => strict ? 0 : Any,
    };

    /// <summary>Which deny grants fire: read→read,*; write and unknown→write,*; ambiguous→write,* (and read when strict).</summary>
    public static int DenyMask(CoverageColumn column, bool strict) => column switch
    {
        CoverageColumn.Read => Read | Any,
        CoverageColumn.Write => Write | Any,
        CoverageColumn.Ambiguous => strict ? Read | Write | Any : Write | Any,
        _ => Write | Any,
    };
}
