using System.Text;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Mcp.Tests.JsonRpc;

public sealed class RepeatedNamesTests
{
    private static InspectedMessage Call(string paramsMembers)
    {
        var result = JsonRpcInspector.Inspect(Encoding.UTF8.GetBytes(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" + paramsMembers + "}}"));
        result.Failure.Should().BeNull();
        return result.Messages[0];
    }

    [Fact]
    public void RepeatedCall_SharesTheToolNameAndArgumentKeyStrings()
    {
        var first = Call("\"name\":\"get_issue\",\"arguments\":{\"owner\":\"a\",\"repo\":\"b\"}");
        var second = Call("\"name\":\"get_issue\",\"arguments\":{\"owner\":\"c\",\"repo\":\"d\"}");

        second.Name.Should().BeSameAs(first.Name);
        second.ArgumentKeys![0].Should().BeSameAs(first.ArgumentKeys![0]);
        second.ArgumentKeys[1].Should().BeSameAs(first.ArgumentKeys[1]);
    }

    [Fact]
    public void EscapedName_IsReadAfterUnescaping_AndMatchesTheUnescapedSpelling()
    {
        var plain = Call("\"name\":\"delete_repo\",\"arguments\":{\"force\":true}");
        var escaped = Call("\"name\":\"delete\\u005frepo\",\"arguments\":{\"f\\u006frce\":true}");

        escaped.Name.Should().Be(plain.Name).And.Be("delete_repo");
        escaped.ArgumentKeys.Should().Equal("force");
    }

    [Fact]
    public void ManyDistinctNames_EachCallStillSeesItsOwnNames()
    {
        // Far more names than the table has slots: every lookup that lands on another name's slot must miss, not
        // hand back the other name.
        for (var i = 0; i < 5_000; i++)
        {
            var message = Call($"\"name\":\"tool_{i}\",\"arguments\":{{\"key_{i}\":1,\"key_{i + 1}\":2}}");
            message.Name.Should().Be($"tool_{i}");
            message.ArgumentKeys.Should().Equal($"key_{i}", $"key_{i + 1}");
        }
    }

    [Fact]
    public void DuplicateArgumentKeys_AreStillRefused_WhenBothComeFromTheTable()
    {
        Call("\"name\":\"t\",\"arguments\":{\"path\":1}");

        var result = JsonRpcInspector.Inspect(Encoding.UTF8.GetBytes(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"t\",\"arguments\":{\"path\":1,\"pa\\u0074h\":2}}}"));

        result.Failure.Should().NotBeNull();
        result.Failure!.Message.Should().Contain("duplicate member name in \"params.arguments\"");
    }
}
