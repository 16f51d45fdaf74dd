using McpGate.Policy.Classification;

namespace McpGate.Policy.Tests.Classification;

public sealed class NameSignalsTests
{
    public static TheoryData<string> ReadWords => new(NameSignals.ReadWords);

    public static TheoryData<string> WriteWords => new(NameSignals.WriteWords);

    [Fact]
    public void WordLists_MatchTheSpec()
    {
        NameSignals.ReadWords.Should().Equal(
            "get list search find query read fetch describe show view inspect analyze check status history logs events explain diff top snapshot dump export poll info stats count whoami version resolve backlinks"
                .Split(' '));
        NameSignals.WriteWords.Should().Equal(
            "create update delete remove write set patch put post send apply execute run start stop cancel kill drop insert upsert modify edit rename move copy upload publish deploy rollout scale drain cordon taint exec attach click navigate type fill press drag reply react add"
                .Split(' '));
    }

    [Theory]
    [MemberData(nameof(ReadWords))]
    public void Score_ReadToken_AddsOne(string word)
    {
        var reasons = new List<string>();

        var score = NameSignals.Score($"{word}_thing", reasons);

        score.Should().Be(1);
        reasons.Should().Equal($"name token '{word}' → read (+1)");
    }

    [Theory]
    [MemberData(nameof(WriteWords))]
    public void Score_WriteToken_SubtractsTwo(string word)
    {
        var reasons = new List<string>();

        var score = NameSignals.Score($"thing_{word}", reasons);

        score.Should().Be(-2);
        reasons.Should().Equal($"name token '{word}' → write (-2)");
    }

    [Theory]
    [InlineData("GetThing")]
    [InlineData("GET_THING")]
    [InlineData("thingGet")]
    public void Score_TokenInAnyCase_IsLowerCasedBeforeMatching(string name)
    {
        NameSignals.Score(name, null).Should().Be(1);
    }

    [Theory]
    [InlineData("list_versions", 1)]
    [InlineData("runtime_info", 1)]
    [InlineData("getter", 0)]
    [InlineData("targets", 0)]
    [InlineData("settings", 0)]
    public void Score_WordInsideALongerToken_DoesNotCount(string name, int expected)
    {
        // Only exact tokens count: "versions" is not "version", "settings" is not "set".
        NameSignals.Score(name, null).Should().Be(expected);
    }

    [Fact]
    public void Score_RepeatedToken_CountsEachTime()
    {
        NameSignals.Score("get_get", null).Should().Be(2);
    }

    [Fact]
    public void Score_MixedTokens_AddUp()
    {
        var reasons = new List<string>();

        var score = NameSignals.Score("getAndDeleteUser", reasons);

        score.Should().Be(-1);
        reasons.Should().Equal("name token 'get' → read (+1)", "name token 'delete' → write (-2)");
    }
}
