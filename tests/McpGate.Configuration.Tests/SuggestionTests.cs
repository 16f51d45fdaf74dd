using McpGate.Configuration.Loading;

namespace McpGate.Configuration.Tests;

public sealed class SuggestionTests
{
    [Theory]
    [InlineData("tool", "tools")]
    [InlineData("acess", "access")]
    [InlineData("sever", "server")]
    [InlineData("roels", "roles")]
    [InlineData("Deny", "deny")]
    [InlineData("strict_classification", "strictClassification")]
    [InlineData("trustedProxy", "trustedProxies")]
    public void CloseKey_IsSuggested(string typo, string expected)
    {
        string[] keys = ["server", "access", "tools", "resources", "prompts", "deny", "roles", "strictClassification", "trustedProxies"];

        Suggestions.Closest(typo, keys).Should().Be(expected);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("permissions")]
    public void FarKey_IsNotSuggested(string typo)
    {
        Suggestions.Closest(typo, ["server", "access", "tools"]).Should().BeNull();
    }
}
