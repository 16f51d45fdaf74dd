namespace McpGate.Policy.Tests;

public sealed class ScaffoldTests
{
    [Fact]
    public void Solution_Builds() => Assert.True(true);
}
