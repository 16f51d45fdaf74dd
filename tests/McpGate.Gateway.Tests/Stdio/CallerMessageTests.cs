using System.Text;
using FluentAssertions;
using McpGate.Gateway.Stdio;
using McpGate.Mcp.JsonRpc;
using Xunit;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary>A caller's message reaches the child as the bytes the gate inspected: one line, only the bridge's ids swapped.</summary>
public sealed class CallerMessageTests
{
    private static CallerMessage[] Read(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var inspection = JsonRpcInspector.Inspect(bytes);
        inspection.Failure.Should().BeNull();
        return CallerMessage.From(bytes, inspection);
    }

    private static byte[] Raw(string json) => Encoding.UTF8.GetBytes(json);

    private static string Line(byte[] line) => Encoding.UTF8.GetString(line);

    [Fact]
    public void A_request_gets_the_childs_id_and_progress_token_and_keeps_every_other_byte()
    {
        var message = Read("""{ "jsonrpc": "2.0", "\u0069d": "abc", "method": "tools\u002fcall", "params": { "name": "read\u005ffile", "_meta": { "progressToken": "tok", "other": 1 }, "arguments": { "id": "keep", "n": 1e400 } } }""")[0];

        message.Id.Should().Equal(Raw("\"abc\""));
        message.ProgressToken.Should().Equal(Raw("\"tok\""));
        Line(message.ToLine(id: Raw("17"), progressToken: Raw("18"))).Should().Be(
            """{ "jsonrpc": "2.0", "\u0069d": 17, "method": "tools\u002fcall", "params": { "name": "read\u005ffile", "_meta": { "progressToken": 18, "other": 1 }, "arguments": { "id": "keep", "n": 1e400 } } }""");
    }

    [Fact]
    public void A_pretty_printed_message_leaves_as_one_line_of_the_same_tokens()
    {
        var message = Read("{\r\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"notifications/initialized\"\n}\n")[0];

        Line(message.ToLine()).Should().Be("{    \"jsonrpc\": \"2.0\",   \"method\": \"notifications/initialized\" }");
    }

    [Fact]
    public void Each_batch_element_is_its_own_line_and_a_cancellation_names_the_childs_id()
    {
        var messages = Read("""[{"jsonrpc":"2.0","id":1,"method":"ping"} , {"jsonrpc":"2.0","method":"notifications/cancelled","params":{"reason":"r","requestId":1}}]""");

        Line(messages[0].ToLine(id: Raw("5"))).Should().Be("""{"jsonrpc":"2.0","id":5,"method":"ping"}""");
        messages[1].HasId.Should().BeFalse();
        messages[1].RequestId.RawJson.Should().Be("1");
        Line(messages[1].ToLine(id: Raw("9"), requestId: Raw("5"))).Should().Be("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"reason":"r","requestId":5}}""");
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","_meta":{"progressToken":1,"progressToken":2}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","_meta":{"progressToken":1,"progress\u0054oken":2}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1,"requestId":2}}""")]
    public void A_value_the_bridge_swaps_may_occur_only_once(string body) =>
        JsonRpcInspector.Inspect(Encoding.UTF8.GetBytes(body)).Failure.Should().NotBeNull();
}
