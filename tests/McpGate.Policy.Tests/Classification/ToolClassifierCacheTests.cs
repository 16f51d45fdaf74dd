using McpGate.Policy.Classification;
using static McpGate.Policy.Tests.Classification.TestTools;

namespace McpGate.Policy.Tests.Classification;

public sealed class ToolClassifierCacheTests
{
    private readonly ToolClassifier _classifier = new();

    [Fact]
    public void Classify_SameToolTwice_ReturnsTheSameInstance()
    {
        var first = _classifier.Classify("github", ToolAclOverrides.None, Tool("get_issue", "Retrieves an issue."));

        var second = _classifier.Classify("github", ToolAclOverrides.None, Tool("get_issue", "Retrieves an issue."));

        second.Should().BeSameAs(first);
    }

    [Fact]
    public void Classify_ChangedDescription_IsClassifiedAfresh()
    {
        _classifier.Classify("github", ToolAclOverrides.None, Tool("issue", "Retrieves an issue."));

        var changed = _classifier.Classify("github", ToolAclOverrides.None, Tool("issue", "Deletes an issue."));

        changed.Kind.Should().Be(ToolKind.Write);
    }

    [Fact]
    public void Classify_ChangedAnnotations_AreClassifiedAfresh()
    {
        _classifier.Classify("github", ToolAclOverrides.None, Tool("issue"));

        var changed = _classifier.Classify("github", ToolAclOverrides.None, Tool("issue", readOnlyHint: true));

        changed.Kind.Should().Be(ToolKind.Read);
    }

    [Fact]
    public void Classify_ChangedInputProperties_AreClassifiedAfresh()
    {
        _classifier.Classify("github", ToolAclOverrides.None, Tool("get_issue", properties: ["id"]));

        var changed = _classifier.Classify("github", ToolAclOverrides.None, Tool("get_issue", properties: ["id", "limit"]));

        changed.Kind.Should().Be(ToolKind.Read);
    }

    [Fact]
    public void Classify_ChangedBackAfterAChange_IsNotServedTheInBetweenVerdict()
    {
        var original = _classifier.Classify("github", ToolAclOverrides.None, Tool("issue", "Retrieves an issue."));
        _classifier.Classify("github", ToolAclOverrides.None, Tool("issue", "Deletes an issue."));

        var again = _classifier.Classify("github", ToolAclOverrides.None, Tool("issue", "Retrieves an issue."));

        again.Kind.Should().Be(original.Kind);
    }

    [Fact]
    public void Classify_SameToolOnTwoServers_IsCachedPerServer()
    {
        _classifier.Classify("a", ToolAclOverrides.None, Tool("get_issue"));
        _classifier.Classify("b", ToolAclOverrides.None, Tool("get_issue"));

        _classifier.CachedCount.Should().Be(2);
    }

    [Fact]
    public void Classify_OverrideMatches_IsNeverCached()
    {
        var overrides = Overrides(read: ["execute_*"]);

        var first = _classifier.Classify("db", overrides, Tool("execute_sql"));
        var second = _classifier.Classify("db", overrides, Tool("execute_sql"));

        second.Should().NotBeSameAs(first);
        _classifier.CachedCount.Should().Be(0);
    }

    [Fact]
    public void Classify_OverrideAddedAfterACachedVerdict_TakesEffect()
    {
        _classifier.Classify("db", ToolAclOverrides.None, Tool("execute_sql", "Executes SQL."));

        var result = _classifier.Classify("db", Overrides(read: ["execute_sql"]), Tool("execute_sql", "Executes SQL."));

        result.Kind.Should().Be(ToolKind.Read);
        result.Source.Should().Be(ClassificationSource.Override);
    }

    [Fact]
    public void Classify_OverrideRemovedAgain_FallsBackToTheContentVerdict()
    {
        _classifier.Classify("db", Overrides(read: ["execute_sql"]), Tool("execute_sql", "Executes SQL."));

        var result = _classifier.Classify("db", ToolAclOverrides.None, Tool("execute_sql", "Executes SQL."));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Classifier);
    }

    [Fact]
    public void Classify_MoreToolsThanTheCapacity_StaysBounded()
    {
        var classifier = new ToolClassifier(cacheCapacity: 3);

        for (var i = 0; i < 50; i++)
        {
            classifier.Classify("hostile", ToolAclOverrides.None, Tool($"tool_{i}"));
        }

        classifier.CachedCount.Should().BeLessThanOrEqualTo(3);
    }

    [Fact]
    public void Classify_Cached_MatchesTheUncachedVerdict()
    {
        var tool = Tool("execute_sql_read_only", "Runs a read-only SQL query and returns the result set.", ["limit"]);

        var cached = _classifier.Classify("db", ToolAclOverrides.None, tool);
        var uncached = ToolClassifier.ClassifyUncached(ToolAclOverrides.None, tool);

        cached.Should().BeEquivalentTo(uncached);
    }

    [Fact]
    public void Classify_CacheHit_AllocatesNothing()
    {
        var tool = Tool("get_issue", "Retrieves an issue.", ["owner", "repo", "limit"], readOnlyHint: null, destructiveHint: false);
        var overrides = Overrides(read: ["list_*"], write: ["merge_*"]);
        _classifier.Classify("github", overrides, tool);
        _classifier.Classify("github", overrides, tool);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _classifier.Classify("github", overrides, tool);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
    }

    [Fact]
    public void Classify_ManyThreadsOnOneTool_AllGetTheSameVerdict()
    {
        var results = new ToolClassification[64];

        Parallel.For(0, results.Length, i =>
            results[i] = _classifier.Classify("db", ToolAclOverrides.None, Tool("execute_sql", "Executes SQL.")));

        results.Should().OnlyContain(r => r.Kind == ToolKind.Write && r.Score == -5);
    }
}
