using McpGate.Policy.Classification;

namespace McpGate.Policy.Tests.Classification;

public sealed class DescriptionSignalsTests
{
    [Fact]
    public void Patterns_MatchTheSpecInOrderWithTheirWeights()
    {
        var table = new List<string>();
        foreach (var pattern in DescriptionSignals.Patterns)
        {
            table.Add($"{pattern.Weight} {pattern.Pattern}");
        }

        table.Should().Equal(
            @"4 read[\s-]only",
            "4 without modifying",
            "4 does not modify",
            "3 returns information",
            @"3 \bretrieves\b",
            @"3 \bfetches\b",
            @"1 \blists?\b",
            @"1 \bshows?\b",
            @"1 \bdescribes?\b",
            @"1 \bsearch(es|ing|ed)?\b",
            @"1 \binspects?\b",
            @"1 \breturns?\b",
            @"1 \bquer(y|ies)\b",
            @"-3 \bcreates?\b",
            @"-3 \bupdates?\b",
            @"-3 \bdeletes?\b",
            @"-3 \bmodif(y|ies)\b",
            @"-3 \bwrites?\b",
            @"-3 \bexecutes?\b",
            @"-3 \bremoves?\b",
            @"-2 \bsends?\b",
            @"-2 \bapplies\b",
            @"-2 \bpublishes?\b",
            @"-2 \bposts?\b",
            @"-2 \buploads?\b");
    }

    // One sample per pattern, chosen so that no other pattern fires: the score is the pattern's weight.
    [Theory]
    [InlineData("A read-only view.", 4, "read-only")]
    [InlineData("A Read Only view.", 4, "read only")]
    [InlineData("Works without modifying anything.", 4, "without modifying")]
    [InlineData("Gives information: RETRIEVES it.", 3, "retrieves")]
    [InlineData("Fetches the page.", 3, "fetches")]
    [InlineData("A list of users.", 1, "list")]
    [InlineData("Lists users.", 1, "lists")]
    [InlineData("Shows users.", 1, "shows")]
    [InlineData("Show users.", 1, "show")]
    [InlineData("Describes a pod.", 1, "describes")]
    [InlineData("Searching users.", 1, "searching")]
    [InlineData("Searched users.", 1, "searched")]
    [InlineData("Search users.", 1, "search")]
    [InlineData("Inspects a pod.", 1, "inspects")]
    [InlineData("Return a pod.", 1, "return")]
    [InlineData("Runs queries.", 1, "queries")]
    [InlineData("Creates a user.", -3, "creates")]
    [InlineData("Update a user.", -3, "update")]
    [InlineData("Deletes a user.", -3, "deletes")]
    [InlineData("Modifies a user.", -3, "modifies")]
    [InlineData("Writes a file.", -3, "writes")]
    [InlineData("Executes SQL.", -3, "executes")]
    [InlineData("Removes a user.", -3, "removes")]
    [InlineData("Sends a mail.", -2, "sends")]
    [InlineData("Applies a manifest.", -2, "applies")]
    [InlineData("Publishes a package.", -2, "publishes")]
    [InlineData("Posts a message.", -2, "posts")]
    [InlineData("Uploads a file.", -2, "uploads")]
    public void Score_EachPattern_AddsItsWeightWithAReason(string description, int weight, string matched)
    {
        var reasons = new List<string>();

        var score = DescriptionSignals.Score(description, reasons);

        score.Should().Be(weight);
        var kind = weight > 0 ? "read" : "write";
        var sign = weight > 0 ? "+" : "";
        reasons.Should().Equal($"description '{matched}' → {kind} ({sign}{weight})");
    }

    [Theory]
    [InlineData("Returns information about a pod.", 4)] // "returns information" +3 and "returns" +1
    [InlineData("Does not modify the pod.", 1)] // "does not modify" +4 and "modify" -3
    public void Score_OverlappingPatterns_EachCount(string description, int expected)
    {
        DescriptionSignals.Score(description, null).Should().Be(expected);
    }

    [Theory]
    [InlineData("The listing page.")]
    [InlineData("A showcase.")]
    [InlineData("Retrieve the thing.")]
    [InlineData("Apply a manifest.")]
    [InlineData("Postgres database.")]
    [InlineData("The uploader.")]
    [InlineData("Recreates nothing.")]
    [InlineData("list_users")]
    [InlineData("Reads a file.")]
    public void Score_WordWithoutWordBoundaries_DoesNotMatch(string description)
    {
        DescriptionSignals.Score(description, null).Should().Be(0);
    }

    [Fact]
    public void Score_PatternRepeated_CountsOnce()
    {
        var reasons = new List<string>();

        var score = DescriptionSignals.Score("Creates a user, creates a group and CREATES a role.", reasons);

        score.Should().Be(-3);
        reasons.Should().ContainSingle();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Score_NoDescription_IsZero(string? description)
    {
        DescriptionSignals.Score(description, null).Should().Be(0);
    }

    [Fact]
    public void Score_WorkedExampleDescription_IsSix()
    {
        var reasons = new List<string>();

        var score = DescriptionSignals.Score("Runs a read-only SQL query and returns the result set.", reasons);

        score.Should().Be(6);
        reasons.Should().Equal(
            "description 'read-only' → read (+4)",
            "description 'returns' → read (+1)",
            "description 'query' → read (+1)");
    }
}
