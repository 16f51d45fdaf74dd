namespace McpGate.Policy.Classification;

/// <summary>How a tool is seen (acl.md §4). Ambiguous is treated as write by the evaluator.</summary>
public enum ToolKind
{
    Read,
    Write,
    Ambiguous,
}

/// <summary>Which classifier step gave the answer (acl.md §4).</summary>
public enum ClassificationSource
{
    Override,
    Annotation,
    Classifier,
    Fallback,
}
