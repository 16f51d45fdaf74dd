using McpGate.Policy.Classification;

namespace McpGate.Policy.Tests.Classification;

public sealed class InputPropertySignalsTests
{
    [Theory]
    [InlineData("limit")]
    [InlineData("offset")]
    [InlineData("page")]
    [InlineData("cursor")]
    [InlineData("filter")]
    [InlineData("pattern")]
    public void Score_PagingOrFilterProperty_AddsOne(string property)
    {
        var reasons = new List<string>();

        var score = InputPropertySignals.Score([property], reasons);

        score.Should().Be(1);
        reasons.Should().Equal($"input property '{property}' → read (+1)");
    }

    [Theory]
    [InlineData("body")]
    [InlineData("content")]
    [InlineData("payload")]
    public void Score_BodyProperty_SubtractsOne(string property)
    {
        var reasons = new List<string>();

        var score = InputPropertySignals.Score([property], reasons);

        score.Should().Be(-1);
        reasons.Should().Equal($"input property '{property}' → write (-1)");
    }

    [Fact]
    public void Score_PropertyInAnyCase_IsLowerCased()
    {
        var reasons = new List<string>();

        var score = InputPropertySignals.Score(["Limit", "PAYLOAD"], reasons);

        score.Should().Be(0);
        reasons.Should().Equal("input property 'limit' → read (+1)", "input property 'payload' → write (-1)");
    }

    [Fact]
    public void Score_EachMatchingProperty_Counts()
    {
        InputPropertySignals.Score(["limit", "offset", "cursor", "owner"], null).Should().Be(3);
    }

    [Theory]
    [InlineData("limits")]
    [InlineData("page_size")]
    [InlineData("bodyText")]
    [InlineData("")]
    public void Score_OtherProperty_IsIgnored(string property)
    {
        InputPropertySignals.Score([property], null).Should().Be(0);
    }
}
