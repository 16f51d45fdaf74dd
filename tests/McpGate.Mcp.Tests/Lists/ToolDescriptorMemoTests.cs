using System.Buffers;
using System.Text;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Tests.Lists;

public sealed class ToolDescriptorMemoTests
{
    private const string ReadFile = """{"name":"read_file","description":"Read a file","inputSchema":{"type":"object","properties":{"path":{"type":"string"}}},"annotations":{"readOnlyHint":true}}""";
    private const string DeleteFile = """{"name":"delete_file","description":"Delete a file","inputSchema":{"type":"object","properties":{"path":{"type":"string"}}}}""";

    private static string Page(params string[] tools) =>
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":[" + string.Join(",", tools) + "]}}";

    private static (ListFilterOutcome Outcome, string Output) Filter(string json, TestVisibility visibility)
    {
        var output = new ArrayBufferWriter<byte>();
        var outcome = ListResponseFilter.Filter(Encoding.UTF8.GetBytes(json), ListKind.Tools, visibility, output, JsonRpcId.FromNumber(2));
        return (outcome, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void RepeatedList_IsFilteredTheSame_WithTheDescriptorsBuiltTheFirstTime()
    {
        var memo = new ToolDescriptorMemo();
        var first = Filter(Page(ReadFile, DeleteFile), new TestVisibility("delete_file") { ToolDescriptors = memo });

        var second = Filter(Page(ReadFile, DeleteFile), new TestVisibility("delete_file") { ToolDescriptors = memo });

        second.Output.Should().Be(first.Output);
        second.Outcome.Hidden.Should().Equal("delete_file");
        second.Outcome.Tools.Should().HaveCount(2);
        second.Outcome.Tools[0].Should().BeSameAs(first.Outcome.Tools[0]);
        second.Outcome.Tools[1].Should().BeSameAs(first.Outcome.Tools[1]);
        second.Outcome.Tools[0].Should().BeEquivalentTo(new ToolDescriptor("read_file", "Read a file", ["path"], true, null));
    }

    [Fact]
    public void ToolWhoseEntryChanged_IsReadAgain_NotTakenFromMemory()
    {
        var memo = new ToolDescriptorMemo();
        Filter(Page(ReadFile), new TestVisibility { ToolDescriptors = memo });

        // The same tool, now annotated destructive: what the upstream says this time decides.
        var changed = ReadFile.Replace("\"readOnlyHint\":true", "\"readOnlyHint\":false,\"destructiveHint\":true", StringComparison.Ordinal);
        var visibility = new TestVisibility { ToolDescriptors = memo };
        var (outcome, _) = Filter(Page(changed), visibility);

        outcome.Tools.Should().ContainSingle().Which.Should().BeEquivalentTo(new ToolDescriptor("read_file", "Read a file", ["path"], false, true));
        visibility.AskedTools.Should().ContainSingle().Which.DestructiveHint.Should().BeTrue();
    }

    [Fact]
    public void InvalidEntry_IsNotRemembered_AndStaysHidden()
    {
        var memo = new ToolDescriptorMemo();
        const string twoNames = """{"name":"read_file","name":"delete_file","inputSchema":{"type":"object"}}""";

        var first = Filter(Page(twoNames), new TestVisibility { ToolDescriptors = memo });
        var second = Filter(Page(twoNames), new TestVisibility { ToolDescriptors = memo });

        first.Outcome.Kept.Should().Be(0);
        second.Outcome.Kept.Should().Be(0);
        memo.TryGet(Encoding.UTF8.GetBytes(twoNames), out _).Should().BeFalse();
    }

    public static TheoryData<string> AwkwardPages => new()
    {
        Page(ReadFile, DeleteFile, ReadFile),
        Page("""{"n\u0061me":"delete_file","inputSchema":{"type":"object"}}""", ReadFile),
        Page("""{"name":"delete_file","name":"read_file"}""", """{"name":"read_file","name":"delete_file"}"""),
        Page("""{"name":7}""", """{"name":null,"description":"x"}""", """{"description":"no name"}"""),
        Page("""{"name":"delete_file","annotations":{"readOnlyHint":true,"readOnlyHint":false}}""", """{"name":"read_file","annotations":[]}"""),
        Page("""{"name":"read_file","inputSchema":{"properties":{"a":{},"b":{"properties":{"c":{}}}}},"extra":{"name":"delete_file"}}"""),
        Page(""" { "name" : "read_file" , "description" : "spaced" } """, """{"name":"read_file","description":"spaced"}"""),
        "[" + Page(ReadFile, DeleteFile) + "," + Page(DeleteFile, ReadFile).Replace("\"id\":2", "\"id\":3", StringComparison.Ordinal) + "]",
    };

    [Theory]
    [MemberData(nameof(AwkwardPages))]
    public void WithOrWithoutMemory_TheFilteredListIsTheSame(string page)
    {
        var memo = new ToolDescriptorMemo();
        var plain = Filter(page, new TestVisibility("delete_file"));

        var first = Filter(page, new TestVisibility("delete_file") { ToolDescriptors = memo });
        var again = Filter(page, new TestVisibility("delete_file") { ToolDescriptors = memo });

        first.Output.Should().Be(plain.Output);
        again.Output.Should().Be(plain.Output);
        again.Outcome.Hidden.Should().Equal(plain.Outcome.Hidden);
        again.Outcome.Kept.Should().Be(plain.Outcome.Kept);
        again.Outcome.Tools.Should().BeEquivalentTo(plain.Outcome.Tools, options => options.WithStrictOrdering());
    }

    [Fact]
    public void TryGet_NeedsTheSameBytes()
    {
        var memo = new ToolDescriptorMemo();
        var tool = new ToolDescriptor("read_file", "Read a file", ["path"], true, null);
        memo.Add(Encoding.UTF8.GetBytes(ReadFile), tool);

        memo.TryGet(Encoding.UTF8.GetBytes(ReadFile), out var found).Should().BeTrue();
        found.Should().BeSameAs(tool);
        memo.TryGet(Encoding.UTF8.GetBytes(ReadFile.Replace("Read a file", "Read a fil3", StringComparison.Ordinal)), out _).Should().BeFalse();
        memo.TryGet(Encoding.UTF8.GetBytes(ReadFile + " "), out _).Should().BeFalse();
    }

    [Fact]
    public void Add_StopsAtTheByteBudget()
    {
        var memo = new ToolDescriptorMemo();
        var tool = ToolDescriptor.NameOnly("big");
        var entry = new byte[64 * 1024];
        var fits = ToolDescriptorMemo.MaxBytes / entry.Length;
        for (var i = 0; i <= fits; i++)
        {
            BitConverter.TryWriteBytes(entry, i);
            memo.Add(entry, tool);
        }

        BitConverter.TryWriteBytes(entry, fits - 1);
        memo.TryGet(entry, out _).Should().BeTrue();
        BitConverter.TryWriteBytes(entry, fits);
        memo.TryGet(entry, out _).Should().BeFalse("past the budget nothing more is kept");
    }
}
