using BenchmarkDotNet.Attributes;
using McpGate.Policy.Classification;

namespace McpGate.Benchmarks.Classification;

/// <summary>
/// Classifying one realistic tool (name, a two-sentence description, four input properties, no annotations):
/// from scratch, and through the gate's cache with the descriptor unchanged (what every request after the first pays).
/// </summary>
[BenchmarkCategory("classifier")]
public class ClassifierBenchmarks
{
    private static readonly ToolDescriptor s_tool = new(
        "search_pull_requests",
        "Searches pull requests across the organization's repositories and returns the matching ones without modifying them. Supports paging.",
        ["query", "limit", "cursor", "state"],
        null,
        null);

    private readonly ToolClassifier _classifier = new();

    [GlobalSetup]
    public void Setup() => _classifier.Classify("github", ToolAclOverrides.None, s_tool);

    [Benchmark]
    public ToolClassification Cold() => ToolClassifier.ClassifyUncached(ToolAclOverrides.None, s_tool);

    [Benchmark]
    public ToolClassification Cached() => _classifier.Classify("github", ToolAclOverrides.None, s_tool);
}
