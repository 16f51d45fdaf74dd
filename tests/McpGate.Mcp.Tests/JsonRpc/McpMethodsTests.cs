using System.Text;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Mcp.Tests.JsonRpc;

public sealed class McpMethodsTests
{
    [Fact]
    public void Intern_EveryKnownMethod_ReturnsItsConstant()
    {
        foreach (var method in McpMethods.All)
        {
            ReferenceEquals(McpMethods.Intern(Encoding.UTF8.GetBytes(method)), method).Should().BeTrue(method);
        }
    }

    [Fact]
    public void Intern_UnknownMethod_ReturnsItsText()
    {
        McpMethods.Intern("tools/cal"u8).Should().Be("tools/cal");
    }
}
