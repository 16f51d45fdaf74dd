using McpGate.Audit.Reading;
using McpGate.Audit.Reading.Alerts;

namespace McpGate.Audit.Tests.Reading.Alerts;

public sealed class AlertDurationTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("24h", 86_400)]
    [InlineData("7d", 604_800)]
    [InlineData("1w", 604_800)]
    [InlineData("1h30m", 5400)]
    public void TryParse_UnitsAndCombinations_GiveTheDuration(string text, int seconds)
    {
        AlertDuration.TryParse(text, out var duration).Should().BeTrue();
        duration.Should().Be(TimeSpan.FromSeconds(seconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("24 hours")]
    [InlineData("99999999999d")]
    public void TryParse_NotADuration_Fails(string text)
    {
        AlertDuration.TryParse(text, out _).Should().BeFalse();
    }
}
