using System.Text;
using System.Text.Json;
using FluentAssertions;
using McpGate.Gateway.Stdio;
using Xunit;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary>The ids a message from a stdio child has swapped, and that it leaves as one line.</summary>
public sealed class JsonRpcRewriterTests
{
    private static string Rewrite(string json, JsonRpcReplacements replacements)
    {
        using var document = JsonDocument.Parse(json);
        return Encoding.UTF8.GetString(JsonRpcRewriter.Rewrite(document.RootElement, replacements));
    }

    private static byte[] Raw(string json) => Encoding.UTF8.GetBytes(json);

    [Fact]
    public void An_answer_gets_the_callers_id_back_verbatim()
    {
        var line = Rewrite("""{"jsonrpc":"2.0","id":17,"result":{"ok":true}}""", new JsonRpcReplacements(Id: Raw("\"caller-\\u0031\"")));

        line.Should().Be("""{"jsonrpc":"2.0","id":"caller-\u0031","result":{"ok":true}}""");
    }

    [Fact]
    public void Progress_and_cancellation_notifications_get_their_tokens_mapped()
    {
        Rewrite("""{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":18,"progress":1}}""", new JsonRpcReplacements(ProgressToken: Raw("\"tok\"")))
            .Should().Be("""{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"tok","progress":1}}""");
        Rewrite("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"abc","reason":"r"}}""", new JsonRpcReplacements(CancelledRequestId: Raw("17")))
            .Should().Be("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":17,"reason":"r"}}""");
    }

    [Fact]
    public void Escaped_strings_stay_as_JSON_writes_them_not_html_escaped()
    {
        var line = Rewrite("""{"jsonrpc":"2.0","id":3,"result":{"text":"say \"hi\" <b>&amp;</b> \u00e9\n"}}""", new JsonRpcReplacements(Id: Raw("7")));

        line.Should().Be("""{"jsonrpc":"2.0","id":7,"result":{"text":"say \"hi\" <b>&amp;</b> é\n"}}""");
    }

    [Fact]
    public void A_pretty_printed_message_leaves_as_one_line()
    {
        var line = Rewrite("{\n  \"jsonrpc\": \"2.0\",\n  \"method\": \"notifications/tools/list_changed\"\n}", default);

        line.Should().Be("""{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}""").And.NotContain("\n");
    }

    [Theory]
    [InlineData("""[1]""", "not a JSON object")]
    [InlineData("""{"id":1,"result":{}}""", "jsonrpc")]
    [InlineData("""{"jsonrpc":"2.0","id":{},"result":{}}""", "neither a string nor a number")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{},"error":{}}""", "exactly one of result and error")]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", "exactly one of result and error")]
    [InlineData("""{"jsonrpc":"2.0","method":7}""", "not a string")]
    public void A_child_line_that_is_not_one_JSON_RPC_message_is_refused(string json, string reason)
    {
        using var document = JsonDocument.Parse(json);

        ChildMessage.Validate(document.RootElement).Should().Contain(reason);
    }

    [Fact]
    public void A_child_line_with_a_duplicate_key_does_not_parse()
    {
        var parse = () => JsonDocument.Parse("""{"jsonrpc":"2.0","id":1,"id":2,"result":{}}""", JsonRpcRewriter.StrictOptions);

        parse.Should().Throw<JsonException>();
    }
}
