using System.Text;
using System.Text.Json;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Mcp.Tests.JsonRpc;

public sealed class JsonRpcIdTests
{
    private static JsonRpcId Parse(string raw)
    {
        JsonRpcId.TryParse(raw, out var id).Should().BeTrue();
        return id;
    }

    private static string Written(JsonRpcId id)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("id");
            id.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Theory]
    [InlineData("7")]
    [InlineData("1.50")]
    [InlineData("\"a\\u0062c\"")]
    [InlineData("null")]
    public void WriteTo_ParsedId_WritesTheOriginalText(string raw)
    {
        Written(Parse(raw)).Should().Be($$"""{"id":{{raw}}}""");
    }

    [Fact]
    public void WriteTo_NoId_WritesNull()
    {
        Written(JsonRpcId.None).Should().Be("""{"id":null}""");
    }

    [Fact]
    public void FromString_TextWithAQuote_IsQuotedAndEscaped()
    {
        JsonRpcId.FromString("a\"b").RawJson.Should().Be("\"a\\\"b\"");
    }

    [Fact]
    public void Equals_SameNumberWrittenDifferently_IsEqual()
    {
        Parse("1").Should().Be(Parse("1.0"));
    }

    [Fact]
    public void Equals_StringAndNumberWithTheSameDigits_AreDifferent()
    {
        Parse("\"1\"").Should().NotBe(Parse("1"));
    }

    [Fact]
    public void Equals_EscapedAndPlainString_AreEqualWithTheSameHash()
    {
        var escaped = Parse("\"\\u0061\"");
        var plain = JsonRpcId.FromString("a");

        escaped.Should().Be(plain);
        escaped.GetHashCode().Should().Be(plain.GetHashCode());
    }

    [Fact]
    public void ToAuditString_NullOrAbsent_IsNull()
    {
        JsonRpcId.Null.ToAuditString().Should().BeNull();
        JsonRpcId.None.ToAuditString().Should().BeNull();
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("true")]
    [InlineData("1 2")]
    [InlineData("\"x")]
    [InlineData("\"\\ud800\"")]
    public void TryParse_NotAnIdValue_Fails(string raw)
    {
        JsonRpcId.TryParse(raw, out _).Should().BeFalse();
    }
}
