using System.Collections.ObjectModel;
using McpGate.Policy.Classification;
using static McpGate.Policy.Tests.Classification.TestTools;

namespace McpGate.Policy.Tests.Classification;

public sealed class ToolClassifierTests
{
    private static ToolClassification Classify(ToolDescriptor tool, ToolAclOverrides? overrides = null) =>
        ToolClassifier.ClassifyUncached(overrides ?? ToolAclOverrides.None, tool);

    // --- the worked examples of acl.md §4 ---

    [Fact]
    public void Classify_ExecuteSqlReadOnly_IsReadWithScoreFive()
    {
        var result = Classify(Tool("execute_sql_read_only", "Runs a read-only SQL query and returns the result set."));

        result.Kind.Should().Be(ToolKind.Read);
        result.Source.Should().Be(ClassificationSource.Classifier);
        result.Score.Should().Be(5);
        result.Confidence.Should().Be(0.5);
        result.Conflict.Should().BeFalse();
        result.Reasons.Should().Equal(
            "name token 'execute' → write (-2)",
            "name token 'read' → read (+1)",
            "description 'read-only' → read (+4)",
            "description 'returns' → read (+1)",
            "description 'query' → read (+1)",
            "score 5 → read");
    }

    [Fact]
    public void Classify_ExecuteSql_IsWrite()
    {
        var result = Classify(Tool("execute_sql", "Executes a SQL statement"));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Classifier);
        result.Score.Should().Be(-5);
        result.Confidence.Should().Be(0.5);
        result.Reasons.Should().Equal(
            "name token 'execute' → write (-2)",
            "description 'executes' → write (-3)",
            "score -5 → write");
    }

    [Fact]
    public void Classify_ConversationsMark_IsAmbiguousWithScoreZero()
    {
        var result = Classify(Tool("conversations_mark", "Marks a channel as read."));

        result.Kind.Should().Be(ToolKind.Ambiguous);
        result.Source.Should().Be(ClassificationSource.Fallback);
        result.Score.Should().Be(0);
        result.Confidence.Should().Be(0.0);
        result.Reasons.Should().Equal("score 0 is within -1..1 → ambiguous (treated as write)");
    }

    // --- step 1: overrides ---

    [Fact]
    public void Classify_OnlyReadGlobMatches_IsReadByOverride()
    {
        var result = Classify(Tool("execute_sql", "Executes SQL."), Overrides(read: ["list_*", "execute_*"]));

        result.Kind.Should().Be(ToolKind.Read);
        result.Source.Should().Be(ClassificationSource.Override);
        result.Confidence.Should().Be(1.0);
        result.Score.Should().Be(0);
        result.Conflict.Should().BeFalse();
        result.Reasons.Should().Equal("tool_acl.read 'execute_*' matches → read");
    }

    [Fact]
    public void Classify_OnlyWriteGlobMatches_IsWriteByOverride()
    {
        var result = Classify(Tool("get_secret", "Retrieves a secret."), Overrides(write: ["*_secret"]));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Override);
        result.Confidence.Should().Be(1.0);
        result.Reasons.Should().Equal("tool_acl.write '*_secret' matches → write");
    }

    [Fact]
    public void Classify_ReadAndWriteGlobsBothMatch_IsWriteAndSaysTheGlobsConflict()
    {
        var result = Classify(Tool("get_secret"), Overrides(read: ["get_*"], write: ["*_secret"]));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Override);
        result.Confidence.Should().Be(1.0);
        result.Reasons.Should().Equal(
            "tool_acl.read 'get_*' and tool_acl.write '*_secret' both match: the globs conflict → write (fail-safe)");
    }

    [Fact]
    public void Classify_NoGlobMatches_FallsThroughToTheNextStep()
    {
        var result = Classify(Tool("get_issue"), Overrides(read: ["list_*"], write: ["merge_*"]));

        result.Source.Should().Be(ClassificationSource.Fallback);
    }

    [Fact]
    public void Classify_OverrideAndAnnotation_OverrideWins()
    {
        var result = Classify(Tool("get_issue", readOnlyHint: true), Overrides(write: ["get_issue"]));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Override);
    }

    [Fact]
    public void Classify_OverrideIsCaseSensitive_OtherCaseFallsThrough()
    {
        var result = Classify(Tool("Get_Issue"), Overrides(write: ["get_*"]));

        result.Source.Should().NotBe(ClassificationSource.Override);
    }

    // --- step 2: annotations ---

    [Fact]
    public void Classify_ReadOnlyHintTrue_IsReadByAnnotation()
    {
        var result = Classify(Tool("thing", readOnlyHint: true));

        result.Kind.Should().Be(ToolKind.Read);
        result.Source.Should().Be(ClassificationSource.Annotation);
        result.Confidence.Should().Be(0.95);
        result.Reasons.Should().Equal("annotation readOnlyHint=true → read");
    }

    [Fact]
    public void Classify_DestructiveHintTrue_IsWriteByAnnotation()
    {
        var result = Classify(Tool("thing", readOnlyHint: false, destructiveHint: true));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Annotation);
        result.Confidence.Should().Be(0.95);
        result.Reasons.Should().Equal("annotation destructiveHint=true → write");
    }

    [Fact]
    public void Classify_BothHintsTrue_ReadOnlyHintWins()
    {
        var result = Classify(Tool("thing", readOnlyHint: true, destructiveHint: true));

        result.Kind.Should().Be(ToolKind.Read);
        result.Source.Should().Be(ClassificationSource.Annotation);
        result.Reasons.Should().Equal(
            "annotation readOnlyHint=true → read",
            "annotation destructiveHint=true ignored: readOnlyHint takes precedence");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, null)]
    [InlineData(null, false)]
    [InlineData(null, null)]
    public void Classify_FalseOrAbsentHints_SayNothing(bool? readOnlyHint, bool? destructiveHint)
    {
        var result = Classify(Tool("delete_user", "Deletes a user.", readOnlyHint: readOnlyHint, destructiveHint: destructiveHint));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Classifier);
    }

    [Fact]
    public void Classify_AnnotationAndScore_AnnotationWinsAndScoreIsStillReported()
    {
        var result = Classify(Tool("get_list", destructiveHint: true));

        result.Kind.Should().Be(ToolKind.Write);
        result.Source.Should().Be(ClassificationSource.Annotation);
        result.Score.Should().Be(2);
    }

    // --- conflict: annotations against the score ---

    [Fact]
    public void Classify_ReadOnlyHintButScoreSaysWrite_IsFlaggedAsConflict()
    {
        var result = Classify(Tool("delete_user", "Deletes a user.", readOnlyHint: true));

        result.Kind.Should().Be(ToolKind.Read);
        result.Conflict.Should().BeTrue();
        result.Score.Should().Be(-5);
        result.Reasons.Should().Equal(
            "annotation readOnlyHint=true → read",
            "conflict: annotation says read but the score -5 says write",
            "name token 'delete' → write (-2)",
            "description 'deletes' → write (-3)");
    }

    [Fact]
    public void Classify_DestructiveHintButScoreSaysRead_IsFlaggedAsConflict()
    {
        var result = Classify(Tool("get_list", destructiveHint: true));

        result.Kind.Should().Be(ToolKind.Write);
        result.Conflict.Should().BeTrue();
        result.Reasons.Should().Equal(
            "annotation destructiveHint=true → write",
            "conflict: annotation says write but the score 2 says read",
            "name token 'get' → read (+1)",
            "name token 'list' → read (+1)");
    }

    [Theory]
    [InlineData("delete_thing", true, null, true)] // -2 against read: conflict at the threshold
    [InlineData("thing", true, null, false)]
    [InlineData("get_thing", true, null, false)] // +1 agrees
    [InlineData("thing", false, true, false)]
    [InlineData("get_thing", false, true, false)] // +1 is not yet a read verdict
    [InlineData("get_list", false, true, true)] // +2 against write: conflict at the threshold
    [InlineData("delete_thing", false, true, false)] // agrees
    public void Classify_ConflictFlag_SetOnlyWhenTheScoreWouldDecideTheOtherWay(
        string name, bool readOnlyHint, bool? destructiveHint, bool conflict)
    {
        var result = Classify(Tool(name, readOnlyHint: readOnlyHint, destructiveHint: destructiveHint));

        result.Conflict.Should().Be(conflict);
    }

    [Fact]
    public void Classify_NoAnnotations_NeverConflicts()
    {
        var result = Classify(Tool("delete_user", "Deletes a user. Read-only."));

        result.Conflict.Should().BeFalse();
    }

    // --- steps 3 and 4: thresholds and confidence ---

    [Theory]
    [InlineData("get_list", ToolKind.Read, ClassificationSource.Classifier)] // +2
    [InlineData("get_thing", ToolKind.Ambiguous, ClassificationSource.Fallback)] // +1
    [InlineData("thing", ToolKind.Ambiguous, ClassificationSource.Fallback)] // 0
    [InlineData("get_delete", ToolKind.Ambiguous, ClassificationSource.Fallback)] // -1
    [InlineData("delete_thing", ToolKind.Write, ClassificationSource.Classifier)] // -2
    public void Classify_ScoreAtTheThresholds_DecidesOnlyFromTwoAway(string name, ToolKind kind, ClassificationSource source)
    {
        var result = Classify(Tool(name));

        result.Kind.Should().Be(kind);
        result.Source.Should().Be(source);
    }

    [Fact]
    public void Classify_ScoreMinusOne_IsAmbiguousWithZeroConfidence()
    {
        var result = Classify(Tool("thing", properties: ["body"]));

        result.Score.Should().Be(-1);
        result.Kind.Should().Be(ToolKind.Ambiguous);
        result.Confidence.Should().Be(0.0);
        result.Reasons.Should().Equal(
            "input property 'body' → write (-1)",
            "score -1 is within -1..1 → ambiguous (treated as write)");
    }

    [Theory]
    [InlineData("get_list", 2, 0.5)]
    [InlineData("get_list_search_find_query", 5, 0.5)]
    [InlineData("get_list_search_find_query_read_fetch", 7, 0.7)]
    [InlineData("get_list_search_find_query_read_fetch_describe_show_view", 10, 1.0)]
    [InlineData("get_list_search_find_query_read_fetch_describe_show_view_inspect_analyze", 12, 1.0)]
    [InlineData("delete_remove_create", -6, 0.6)]
    public void Classify_ScoreDecides_ConfidenceIsAbsScoreOverTenBetweenHalfAndOne(string name, int score, double confidence)
    {
        var result = Classify(Tool(name));

        result.Score.Should().Be(score);
        result.Confidence.Should().BeApproximately(confidence, 1e-9);
    }

    [Theory]
    [InlineData(2, 0.5)]
    [InlineData(5, 0.5)]
    [InlineData(6, 0.6)]
    [InlineData(10, 1.0)]
    [InlineData(12, 1.0)]
    [InlineData(-2, 0.5)]
    [InlineData(-9, 0.9)]
    [InlineData(-40, 1.0)]
    public void ScoreConfidence_Formula_IsMinOneMaxHalfAbsScoreOverTen(int score, double confidence)
    {
        ToolClassifier.ScoreConfidence(score).Should().BeApproximately(confidence, 1e-9);
    }

    [Fact]
    public void Classify_AllThreeSignalKinds_AddUp()
    {
        var result = Classify(Tool("listIssues", "Lists issues.", properties: ["limit", "cursor", "body"]));

        // list +1, "lists" +1, limit +1, cursor +1, body -1
        result.Score.Should().Be(3);
        result.Kind.Should().Be(ToolKind.Read);
        result.Reasons.Should().Equal(
            "name token 'list' → read (+1)",
            "description 'lists' → read (+1)",
            "input property 'limit' → read (+1)",
            "input property 'cursor' → read (+1)",
            "input property 'body' → write (-1)",
            "score 3 → read");
    }

    [Fact]
    public void Classify_NameOnlyUnknownWord_IsAmbiguous()
    {
        var result = Classify(ToolDescriptor.NameOnly("frobnicate"));

        result.Kind.Should().Be(ToolKind.Ambiguous);
        result.Source.Should().Be(ClassificationSource.Fallback);
    }

    [Fact]
    public void Classify_Reasons_AreReadOnlyBecauseResultsAreShared()
    {
        var scored = Classify(Tool("get_list"));
        var overridden = Classify(Tool("get_list"), Overrides(read: ["*"]));

        scored.Reasons.Should().BeOfType<ReadOnlyCollection<string>>();
        overridden.Reasons.Should().BeOfType<ReadOnlyCollection<string>>();
    }
}
