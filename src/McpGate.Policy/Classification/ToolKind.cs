namespace McpGate.Policy.Classification;

/// <summary>How a tool is seen (docs/classifier.md, "The four steps"). Ambiguous is treated as write by the
/// evaluator.</summary>
public enum ToolKind
{
    Read,
    Write,
    Ambiguous,
}

/// <summary>Which classifier step gave the answer (docs/classifier.md, "The four steps").</summary>
public enum ClassificationSource
{
    Override,
    Annotation,
    Classifier,
    Fallback,
}
