using System.Buffers;
using System.Text;
using System.Text.Json;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;

namespace McpGate.Mcp.Tests.Lists;

public sealed class ListResponseFilterTests
{
    private const string ToolsPage = """
        {"result":{"tools":[
          {"name":"read_file","description":"Read a file","inputSchema":{"type":"object","properties":{"path":{"type":"string"},"encoding":{"type":"string"}}},"annotations":{"readOnlyHint":true,"destructiveHint":false}},
          {"name":"delete_file","inputSchema":{"type":"object","properties":{"path":{"type":"string"}}}},
          {"name":"list_dir","inputSchema":{"type":"object"}}
        ],"nextCursor":"Y3Vyc29yOjM="},"jsonrpc":"2.0","id":2}
        """;

    private static (ListFilterOutcome Outcome, string Output) Filter(string json, ListKind kind, TestVisibility visibility, JsonRpcId requestId = default, bool privateCache = false)
    {
        var output = new ArrayBufferWriter<byte>();
        var outcome = ListResponseFilter.Filter(Encoding.UTF8.GetBytes(json), kind, visibility, output, requestId, privateCache);
        return (outcome, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static List<string> Names(string json, string array, string key)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("result").GetProperty(array).EnumerateArray()
            .Select(item => item.GetProperty(key).GetString()!).ToList();
    }

    [Fact]
    public void Filter_HiddenTool_IsRemovedAndTheRestKeepTheirOrder()
    {
        var (_, output) = Filter(ToolsPage, ListKind.Tools, new TestVisibility("delete_file"));

        Names(output, "tools", "name").Should().Equal("read_file", "list_dir");
    }

    [Fact]
    public void Filter_HiddenTool_IsReportedByName()
    {
        var (outcome, _) = Filter(ToolsPage, ListKind.Tools, new TestVisibility("delete_file", "list_dir"));

        outcome.IsListResult.Should().BeTrue();
        outcome.Hidden.Should().Equal("delete_file", "list_dir");
        outcome.Kept.Should().Be(1);
    }

    [Fact]
    public void Filter_KeptItems_AreCopiedByteForByte()
    {
        var (_, output) = Filter(ToolsPage, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Contain("""{"name":"read_file","description":"Read a file","inputSchema":{"type":"object","properties":{"path":{"type":"string"},"encoding":{"type":"string"}}},"annotations":{"readOnlyHint":true,"destructiveHint":false}}""");
    }

    [Fact]
    public void Filter_NextCursor_IsKeptExactly()
    {
        var (_, output) = Filter(ToolsPage, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Contain("\"nextCursor\":\"Y3Vyc29yOjM=\"");
    }

    [Fact]
    public void Filter_EveryItemHidden_LeavesAnEmptyPageWithItsCursor()
    {
        var (_, output) = Filter(ToolsPage, ListKind.Tools, new TestVisibility("read_file", "delete_file", "list_dir"));

        output.Should().Be("""
            {"result":{"tools":[],"nextCursor":"Y3Vyc29yOjM="},"jsonrpc":"2.0","id":2}
            """);
    }

    [Fact]
    public void Filter_NothingHidden_OutputIsTheInput()
    {
        var (outcome, output) = Filter(ToolsPage, ListKind.Tools, new TestVisibility());

        output.Should().Be(ToolsPage);
        outcome.Hidden.Should().BeEmpty();
    }

    [Fact]
    public void Filter_EverythingOutsideTheArray_IsCopiedUnchanged()
    {
        const string json = """
            { "jsonrpc" : "2.0" , "id" : "a\u0062",
              "result" : { "_meta" : { "n" : 1.0e0, "s" : "\u00e9\n" }, "prompts" : [ {"name":"a"} , {"name":"b"} ], "x" : [ 1 , 2 ] } }
            """;

        var (_, output) = Filter(json, ListKind.Prompts, new TestVisibility("b"));

        output.Should().Be("""
            { "jsonrpc" : "2.0" , "id" : "a\u0062",
              "result" : { "_meta" : { "n" : 1.0e0, "s" : "\u00e9\n" }, "prompts" : [{"name":"a"}], "x" : [ 1 , 2 ] } }
            """);
    }

    [Fact]
    public void Filter_ErrorResponse_PassesUnchanged()
    {
        const string json = """{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"Method not found","data":{"tools":[{"name":"delete_file"}]}}}""";

        var (outcome, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Be(json);
        outcome.IsListResult.Should().BeFalse();
    }

    [Fact]
    public void Filter_ResultOfAnotherKind_PassesUnchanged()
    {
        const string json = """{"jsonrpc":"2.0","id":2,"result":{"content":[{"type":"text","text":"delete_file"}],"isError":false}}""";

        var (outcome, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Be(json);
        outcome.IsListResult.Should().BeFalse();
    }

    [Fact]
    public void Filter_ArrayMemberThatIsNotAnArray_PassesUnchanged()
    {
        const string json = """{"jsonrpc":"2.0","id":2,"result":{"tools":null}}""";

        var (outcome, output) = Filter(json, ListKind.Tools, new TestVisibility("x"));

        output.Should().Be(json);
        outcome.IsListResult.Should().BeFalse();
    }

    [Fact]
    public void Filter_Tools_ReportsADescriptorForEveryToolIncludingHiddenOnes()
    {
        var (outcome, _) = Filter(ToolsPage, ListKind.Tools, new TestVisibility("delete_file"));

        outcome.Tools.Select(t => t.Name).Should().Equal("read_file", "delete_file", "list_dir");
    }

    [Fact]
    public void Filter_ToolDescriptor_CarriesDescriptionPropertiesAndHints()
    {
        var visibility = new TestVisibility();

        Filter(ToolsPage, ListKind.Tools, visibility);

        var tool = visibility.AskedTools[0];
        tool.Description.Should().Be("Read a file");
        tool.InputPropertyNames.Should().Equal("path", "encoding");
        tool.ReadOnlyHint.Should().BeTrue();
        tool.DestructiveHint.Should().BeFalse();
    }

    [Fact]
    public void Filter_ToolWithoutAnnotationsOrProperties_HasNullHintsAndNoProperties()
    {
        var (outcome, _) = Filter(ToolsPage, ListKind.Tools, new TestVisibility());

        var listDir = outcome.Tools[2];
        listDir.ReadOnlyHint.Should().BeNull();
        listDir.DestructiveHint.Should().BeNull();
        listDir.InputPropertyNames.Should().BeEmpty();
        listDir.Description.Should().BeNull();
    }

    [Fact]
    public void Filter_EscapedToolName_IsJudgedUnescaped()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"delete\u005ffile"},{"name":"ok"}]}}""";

        var (outcome, _) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        outcome.Hidden.Should().Equal("delete_file");
    }

    [Fact]
    public void Filter_EscapedArrayMemberName_IsStillFiltered()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"t\u006fols":[{"name":"delete_file"},{"name":"ok"}]}}""";

        var (_, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().NotContain("delete_file");
    }

    [Fact]
    public void Filter_ArrayGivenTwice_FiltersBoth()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"ok"}],"tools":[{"name":"delete_file"},{"name":"ok"}]}}""";

        var (_, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Be("""{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"ok"}],"tools":[{"name":"ok"}]}}""");
    }

    [Fact]
    public void Filter_ResultGivenTwice_FiltersBoth()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"tools":[]},"result":{"tools":[{"name":"delete_file"}]}}""";

        var (_, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().NotContain("delete_file");
    }

    [Fact]
    public void Filter_ItemWithItsNameTwice_IsRemoved()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"ok","name":"delete_file"},{"name":"ok"}]}}""";

        var (outcome, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Be("""{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"ok"}]}}""");
        outcome.Hidden.Should().Equal("delete_file");
    }

    [Theory]
    [InlineData("""42""")]
    [InlineData("""{"title":"no name"}""")]
    [InlineData("""{"name":7}""")]
    public void Filter_ItemWithoutAUsableName_IsRemoved(string item)
    {
        var json = $$$"""{"jsonrpc":"2.0","id":1,"result":{"tools":[{{{item}}},{"name":"ok"}]}}""";

        var (_, output) = Filter(json, ListKind.Tools, new TestVisibility());

        output.Should().Be("""{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"ok"}]}}""");
    }

    [Theory]
    [InlineData(ListKind.Prompts, "prompts", "name", "secret_prompt")]
    [InlineData(ListKind.Resources, "resources", "uri", "file:///etc/shadow")]
    [InlineData(ListKind.ResourceTemplates, "resourceTemplates", "uriTemplate", "file:///secret/{name}")]
    public void Filter_OtherLists_HideItemsByTheirKey(ListKind kind, string array, string key, string hidden)
    {
        var json = $$$"""{"jsonrpc":"2.0","id":1,"result":{"{{{array}}}":[{"{{{key}}}":"{{{hidden}}}","title":"n1"},{"{{{key}}}":"keep","title":"n2"}],"nextCursor":"c"}}""";

        var (outcome, output) = Filter(json, kind, new TestVisibility(hidden));

        Names(output, array, key).Should().Equal("keep");
        outcome.Hidden.Should().Equal(hidden);
    }

    [Fact]
    public void Filter_ToolsFilter_LeavesAPromptsListAlone()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"prompts":[{"name":"delete_file"}]}}""";

        var (outcome, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Be(json);
        outcome.IsListResult.Should().BeFalse();
    }

    [Fact]
    public void Filter_BatchOfResponses_FiltersEachElement()
    {
        const string json = """[{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"delete_file"},{"name":"a"}]}},{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"delete_file"}]}}]""";

        var (outcome, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Be("""[{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"a"}]}},{"jsonrpc":"2.0","id":2,"result":{"tools":[]}}]""");
        outcome.ResponseIds.Select(id => id.RawJson).Should().Equal("1", "2");
    }

    [Fact]
    public void Filter_ResponseId_IsReported()
    {
        var (outcome, _) = Filter(ToolsPage, ListKind.Tools, new TestVisibility());

        outcome.ResponseIds.Should().Equal(JsonRpcId.FromNumber(2));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"delete_file"}]}""")]
    [InlineData("""{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"delete_file"},]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"delete_file","x":NaN}]}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"delete_file"}]}} {}""")]
    public void Filter_UnreadableJson_IsReplacedByAnErrorForTheRequest(string json)
    {
        var (outcome, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"), JsonRpcId.FromNumber(2));

        outcome.IsMalformed.Should().BeTrue();
        output.Should().Be("""{"jsonrpc":"2.0","id":2,"error":{"code":-32603,"message":"upstream_list_unreadable"}}""");
    }

    [Fact]
    public void Filter_InvalidUtf8InAnItem_IsReplacedByAnError()
    {
        var json = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"delete_file","description":"x"}]}}""");
        json[json.Length - 8] = 0xFF;
        var output = new ArrayBufferWriter<byte>();

        var outcome = ListResponseFilter.Filter(json, ListKind.Tools, new TestVisibility("delete_file"), output);

        outcome.IsMalformed.Should().BeTrue();
        Encoding.UTF8.GetString(output.WrittenSpan).Should().NotContain("delete_file");
    }

    [Fact]
    public void Filter_ThousandTools_KeepsTheVisibleOnesAsValidJson()
    {
        var json = ToolCatalogs.ToolsListResponse(1000, id: 9);
        var visibility = new ListsVisibilityByPredicate(name => !name.EndsWith('7'));
        var output = new ArrayBufferWriter<byte>();

        var outcome = ListResponseFilter.Filter(json, ListKind.Tools, visibility, output);

        outcome.Tools.Should().HaveCount(1000);
        outcome.Hidden.Should().HaveCount(100);
        Names(Encoding.UTF8.GetString(output.WrittenSpan), "tools", "name").Should().HaveCount(900).And.NotContain(n => n.EndsWith('7'));
    }

    private sealed class ListsVisibilityByPredicate(Func<string, bool> isVisible) : IListItemVisibility
    {
        public bool IsToolVisible(ToolDescriptor tool) => isVisible(tool.Name);

        public bool IsPromptVisible(string name) => isVisible(name);

        public bool IsResourceVisible(string uri) => isVisible(uri);

        public bool IsResourceTemplateVisible(string uriTemplate) => isVisible(uriTemplate);
    }

    // Issue 13 (2026-07-28): what a list shows depends on who asked, so no shared cache may keep it.
    [Theory]
    [InlineData("\"public\"")]
    [InlineData("\"shared\"")]
    [InlineData("null")]
    public void Filter_ListResultWithACacheScope_SaysPrivate(string scope)
    {
        var json = $$$"""{"jsonrpc":"2.0","id":1,"result":{"cacheScope":{{{scope}}},"tools":[{"name":"read_file"}],"ttlMs":60000}}""";

        var (_, output) = Filter(json, ListKind.Tools, new TestVisibility("nothing"));

        output.Should().Be("""{"jsonrpc":"2.0","id":1,"result":{"cacheScope":"private","tools":[{"name":"read_file"}],"ttlMs":60000}}""");
    }

    [Fact]
    public void Filter_DuplicateCacheScope_EveryCopySaysPrivate()
    {
        var json = """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"read_file"},{"name":"delete_file"}],"cacheScope":"public","cache\u0053cope":"public"}}""";

        var (_, output) = Filter(json, ListKind.Tools, new TestVisibility("delete_file"));

        output.Should().Be("""{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"read_file"}],"cacheScope":"private","cache\u0053cope":"private"}}""");
    }

    [Fact]
    public void Filter_PrivateCacheAndNoHint_AddsOne()
    {
        var (_, output) = Filter("""{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}""", ListKind.Tools, new TestVisibility("nothing"), privateCache: true);

        output.Should().Be("""{"jsonrpc":"2.0","id":1,"result":{"tools":[],"cacheScope":"private"}}""");
    }

    [Fact]
    public void Filter_NoHintAndAnOlderRevision_IsByteIdentical()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"read_file"}]}}""";

        var (_, output) = Filter(json, ListKind.Tools, new TestVisibility("nothing"));

        output.Should().Be(json);
    }
}
