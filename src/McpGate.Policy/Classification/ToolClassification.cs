namespace McpGate.Policy.Classification;

/// <summary>
/// The classifier's verdict for one tool (docs/classifier.md, "The four steps"). Immutable and shared: the classifier
/// caches it.
/// </summary>
/// <param name="Kind">read, write or ambiguous.</param>
/// <param name="Source">The step that decided.</param>
/// <param name="Confidence">0.0–1.0; 1.0 for overrides, 0.95 for annotations, 0.0 for the fallback.</param>
/// <param name="Reasons">One short string per signal, e.g. <c>name token 'get' → read (+1)</c>.</param>
/// <param name="Conflict">True when the annotations and the score disagree.</param>
/// <param name="Score">The scoring step's total (0 when scoring did not run).</param>
public sealed record ToolClassification(
    ToolKind Kind,
    ClassificationSource Source,
    double Confidence,
    IReadOnlyList<string> Reasons,
    bool Conflict,
    int Score);
