using System.Text;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Mcp.Tests.JsonRpc;

public sealed class JsonRpcInspectorTests
{
    private const int ParseError = -32700;
    private const int InvalidRequest = -32600;

    private static InspectionResult Inspect(string json) => JsonRpcInspector.Inspect(Encoding.UTF8.GetBytes(json));

    private static string ToolsCall(string paramsMembers) =>
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{" + paramsMembers + "}}";

    private static InspectedMessage Single(string json)
    {
        var result = Inspect(json);
        result.Failure.Should().BeNull();
        result.IsBatch.Should().BeFalse();
        result.Messages.Should().ContainSingle();
        return result.Messages[0];
    }

    private static void ShouldFail(string json, int code)
    {
        var result = Inspect(json);
        result.Failure.Should().NotBeNull();
        result.Failure!.Code.Should().Be(code);
        result.Messages.Should().BeEmpty();
    }

    [Fact]
    public void Inspect_ToolsCall_ReturnsMethodNameIdAndArgumentKeys()
    {
        var message = Single("""
            {"jsonrpc":"2.0","id":7,"method":"tools/call",
             "params":{"name":"create_pr","arguments":{"repo":"a/b","title":"t","draft":true},"_meta":{"progressToken":1}}}
            """);

        message.Kind.Should().Be(JsonRpcMessageKind.Request);
        message.Method.Should().Be("tools/call");
        message.Name.Should().Be("create_pr");
        message.Id.RawJson.Should().Be("7");
        message.ArgumentKeys.Should().Equal("repo", "title", "draft");
    }

    [Fact]
    public void Inspect_KnownMethod_IsTheSharedConstantInstance()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");

        ReferenceEquals(message.Method, McpMethods.ToolsList).Should().BeTrue();
    }

    [Fact]
    public void Inspect_EscapedMethod_IsReadUnescaped()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"tools\u002fcall","params":{"name":"x"}}""");

        ReferenceEquals(message.Method, McpMethods.ToolsCall).Should().BeTrue();
    }

    [Fact]
    public void Inspect_EscapedMethodWithoutName_IsRejectedLikeThePlainSpelling()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"\u0074ools/call","params":{}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_UnknownMethod_IsKeptVerbatim()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"vendor/x\u00e9"}""");

        message.Method.Should().Be("vendor/xé");
    }

    [Fact]
    public void Inspect_EscapedToolName_IsUnescaped()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create\u005Fpr"}}""");

        message.Name.Should().Be("create_pr");
    }

    [Fact]
    public void Inspect_EscapedMemberNames_AreRecognised()
    {
        var message = Single("""{"jsonrpc":"2.0","\u0069d":3,"m\u0065thod":"tools/call","par\u0061ms":{"n\u0061me":"delete_repo"}}""");

        message.Method.Should().Be("tools/call");
        message.Name.Should().Be("delete_repo");
        message.Id.RawJson.Should().Be("3");
    }

    [Fact]
    public void Inspect_ParamsBeforeMethod_IsStillInspected()
    {
        var message = Single("""{"params":{"uri":"file:///etc/passwd"},"id":"r1","method":"resources/read","jsonrpc":"2.0"}""");

        message.Method.Should().Be("resources/read");
        message.Uri.Should().Be("file:///etc/passwd");
    }

    [Fact]
    public void Inspect_DuplicateMethod_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{"name":"x"}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateMethodSpelledWithAnEscape_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/list","m\u0065thod":"tools/call","params":{"name":"x"}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateMethod_NamesTheMemberInTheMessage()
    {
        var result = Inspect("""{"jsonrpc":"2.0","id":1,"method":"ping","method":"ping"}""");

        result.Failure!.Message.Should().Contain("\"method\"");
    }

    [Fact]
    public void Inspect_DuplicateId_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateParams_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read"},"params":{"name":"write"}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateUnknownTopLevelMember_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"ping","x":1,"x":2}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateName_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","name":"delete_file"}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateNameSpelledWithAnEscape_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","n\u0061me":"delete_file"}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateUri_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///a","uri":"file:///b"}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateOtherMemberInsideParams_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","_meta":{},"_meta":{}}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateUnknownMemberInsideParams_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","zz":1,"z\u007a":2}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateArgumentKey_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"path":"/tmp","path":"/etc"}}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_DuplicateArgumentKeyAmongMany_IsInvalidRequest()
    {
        var keys = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            keys.Append($"\"k{i}\":{i},");
        }

        ShouldFail(ToolsCall("\"name\":\"x\",\"arguments\":{" + keys + "\"k17\":0}"), InvalidRequest);
    }

    [Fact]
    public void Inspect_ManyDistinctArgumentKeys_AreAllReported()
    {
        var keys = new StringBuilder();
        for (var i = 0; i < 50; i++)
        {
            keys.Append(i == 0 ? string.Empty : ",").Append($"\"k{i}\":{i}");
        }

        var message = Single(ToolsCall("\"name\":\"x\",\"arguments\":{" + keys + "}"));

        message.ArgumentKeys.Should().HaveCount(50).And.HaveElementAt(49, "k49");
    }

    [Fact]
    public void Inspect_DuplicateKeysDeepInsideAnArgumentValue_AreLeftToTheUpstream()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"q":{"a":1,"a":2}}}}""");

        message.ArgumentKeys.Should().Equal("q");
    }

    [Fact]
    public void Inspect_MethodNotAString_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":["tools/call"]}""", InvalidRequest);
    }

    [Theory]
    [InlineData("tools/call", """{"name":5}""")]
    [InlineData("tools/call", """{"name":null}""")]
    [InlineData("tools/call", """{"name":["a"]}""")]
    [InlineData("tools/call", """{}""")]
    [InlineData("tools/call", """["create_pr"]""")]
    [InlineData("prompts/get", """{"name":{"x":1}}""")]
    [InlineData("prompts/get", """{"arguments":{}}""")]
    [InlineData("resources/read", """{"uri":1}""")]
    [InlineData("resources/read", """{"name":"file:///a"}""")]
    [InlineData("resources/subscribe", """{"uri":false}""")]
    [InlineData("resources/unsubscribe", """{}""")]
    public void Inspect_TargetedMethodWithoutAStringTarget_IsInvalidRequest(string method, string parameters)
    {
        ShouldFail($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{parameters}}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_TargetedMethodWithoutParams_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call"}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_NonStringNameOnAnotherMethod_PassesWithoutName()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"vendor/thing","params":{"name":5}}""");

        message.Name.Should().BeNull();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    public void Inspect_ToolsCallArgumentsNotAnObject_IsInvalidRequest(string arguments)
    {
        ShouldFail($$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{{{arguments}}}}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_ResourceSubscribe_ReturnsUri()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"file:///\u0061.txt"}}""");

        message.Uri.Should().Be("file:///a.txt");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("true")]
    [InlineData("false")]
    public void Inspect_IdOfAnInvalidType_IsInvalidRequest(string id)
    {
        ShouldFail($$"""{"jsonrpc":"2.0","id":{{id}},"method":"ping"}""", InvalidRequest);
    }

    [Theory]
    [InlineData("7")]
    [InlineData("0")]
    [InlineData("-12")]
    [InlineData("9007199254740991")]
    [InlineData("-9007199254740991")]
    [InlineData("\"abc\"")]
    [InlineData("\"a\\u0062c\"")]
    [InlineData("\"\"")]
    public void Inspect_Id_IsKeptAsItsExactJsonText(string id)
    {
        var message = Single($$"""{"jsonrpc":"2.0","id":{{id}},"method":"ping"}""");

        message.Id.RawJson.Should().Be(id);
    }

    // Issue 13 (id forms): a JavaScript peer reads these as other numbers (1.50 → 1.5, 1E+3 → 1000, -0 → 0, and past
    // 2^53 - 1 a rounded neighbour), so the id it echoes would not be the one the gate decided and audited.
    [Theory]
    [InlineData("-0")]
    [InlineData("1.50")]
    [InlineData("1.0")]
    [InlineData("1E+3")]
    [InlineData("1e3")]
    [InlineData("9007199254740992")]
    [InlineData("9007199254740993")]
    [InlineData("-9007199254740993")]
    [InlineData("123456789012345678901234567890")]
    public void Inspect_NumericIdThatPeersReadDifferently_IsInvalidRequest(string id)
    {
        ShouldFail($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"read_file"}}""", InvalidRequest);
        ShouldFail($$$"""{"jsonrpc":"2.0","id":{{{id}}},"result":{}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_RequestWithNullId_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":null,"method":"ping"}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_ResponseWithNullId_IsKept()
    {
        var message = Single("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}""");

        message.Id.IsNull.Should().BeTrue();
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("\"a\"", "\"\\u0061\"")]
    public void Inspect_BatchWhoseRequestsShareAnId_IsInvalidRequest(string first, string second)
    {
        ShouldFail($$"""[{"jsonrpc":"2.0","id":{{first}},"method":"ping"},{"jsonrpc":"2.0","id":{{second}},"method":"ping"}]""", InvalidRequest);
    }

    [Fact]
    public void Inspect_BatchWithDistinctIdsAndNotifications_IsKept()
    {
        var result = Inspect("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":"1","method":"ping"}]""");

        result.Failure.Should().BeNull();
        result.Messages.Should().HaveCount(3);
    }

    [Fact]
    public void Inspect_EscapedStringId_AuditsUnescaped()
    {
        var message = Single("""{"jsonrpc":"2.0","id":"a\u0062c","method":"ping"}""");

        message.Id.ToAuditString().Should().Be("abc");
    }

    [Fact]
    public void Inspect_StringIdWithALoneSurrogateEscape_IsAParseErrorNotAnException()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":"\ud800","method":"ping"}""", ParseError);
    }

    [Fact]
    public void Inspect_ToolNameWithALoneSurrogateEscape_IsAParseErrorNotAnException()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a\udc00"}}""", ParseError);
    }

    [Fact]
    public void Inspect_MessageWithoutId_IsANotification()
    {
        var message = Single("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        message.Kind.Should().Be(JsonRpcMessageKind.Notification);
        message.Id.IsPresent.Should().BeFalse();
    }

    [Fact]
    public void Inspect_ClientResultToAServerRequest_IsAResponse()
    {
        var message = Single("""{"jsonrpc":"2.0","id":"srv-1","result":{"content":{"type":"text","text":"hi"}}}""");

        message.Kind.Should().Be(JsonRpcMessageKind.Response);
        message.Method.Should().BeNull();
        message.Id.RawJson.Should().Be("\"srv-1\"");
    }

    [Fact]
    public void Inspect_ClientErrorToAServerRequest_IsAResponse()
    {
        var message = Single("""{"jsonrpc":"2.0","id":4,"error":{"code":-1,"message":"user declined"}}""");

        message.Kind.Should().Be(JsonRpcMessageKind.Response);
    }

    [Fact]
    public void Inspect_ResponseWithoutId_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","result":{}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_ResponseWithResultAndError_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"x"}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_MethodTogetherWithResult_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"},"result":{}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_ObjectWithoutMethodOrResult_IsInvalidRequest()
    {
        ShouldFail("""{"jsonrpc":"2.0","id":1}""", InvalidRequest);
    }

    [Theory]
    [InlineData("""{"id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":2.0,"id":1,"method":"ping"}""")]
    public void Inspect_MissingOrWrongJsonrpcVersion_IsInvalidRequest(string json)
    {
        ShouldFail(json, InvalidRequest);
    }

    [Fact]
    public void Inspect_Batch_ReturnsEveryElementInOrderWithItsKind()
    {
        var result = Inspect("""
            [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"}},
             {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}},
             {"jsonrpc":"2.0","id":"s","result":{}}]
            """);

        result.Failure.Should().BeNull();
        result.IsBatch.Should().BeTrue();
        result.Messages.Select(m => m.Kind).Should().Equal(
            JsonRpcMessageKind.Request, JsonRpcMessageKind.Notification, JsonRpcMessageKind.Response);
    }

    [Fact]
    public void Inspect_BatchOfOne_IsStillABatch()
    {
        var result = Inspect("""[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"}}]""");

        result.IsBatch.Should().BeTrue();
        result.Messages.Single().Name.Should().Be("a");
    }

    [Fact]
    public void Inspect_EmptyBatch_IsInvalidRequest()
    {
        ShouldFail("[ ]", InvalidRequest);
    }

    [Theory]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"},1]""")]
    [InlineData("""[[{"jsonrpc":"2.0","id":1,"method":"ping"}]]""")]
    [InlineData("""[null]""")]
    public void Inspect_BatchWithANonObjectElement_IsInvalidRequest(string json)
    {
        ShouldFail(json, InvalidRequest);
    }

    [Fact]
    public void Inspect_BatchWithOneInvalidElement_FailsAsAWhole()
    {
        ShouldFail("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"a","name":"b"}}]""", InvalidRequest);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"tools/call\"")]
    [InlineData("null")]
    [InlineData("true")]
    public void Inspect_TopLevelScalar_IsInvalidRequest(string json)
    {
        ShouldFail(json, InvalidRequest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("tru")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} x")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}{}")]
    [InlineData("{\"jsonrpc\":\"2.0\",/*c*/\"id\":1,\"method\":\"ping\"}")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'ping'}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":NaN,\"method\":\"ping\"}")]
    public void Inspect_NotStrictJson_IsAParseError(string json)
    {
        ShouldFail(json, ParseError);
    }

    [Fact]
    public void Inspect_TrailingWhitespace_IsAccepted()
    {
        Single("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"} \r\n\t");
    }

    [Fact]
    public void Inspect_EveryTruncationOfAValidBody_IsAParseError()
    {
        const string body = """{"jsonrpc":"2.0","id":"x1","method":"tools/call","params":{"name":"a\u0062","arguments":{"n":[1,{"k":null}],"s":"v"}}}""";
        var bytes = Encoding.UTF8.GetBytes(body);
        JsonRpcInspector.Inspect(bytes).IsValid.Should().BeTrue();

        for (var length = 0; length < bytes.Length; length++)
        {
            var result = JsonRpcInspector.Inspect(bytes.AsSpan(0, length));
            result.Failure.Should().NotBeNull($"a body cut after {length} bytes is not JSON");
            result.Failure!.Code.Should().Be(ParseError, $"a body cut after {length} bytes is not JSON");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    public void Inspect_InvalidUtf8InsideAString_IsAParseError(byte[] invalid)
    {
        var body = new List<byte>();
        body.AddRange("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"""u8.ToArray());
        body.AddRange(invalid);
        body.AddRange("\"}}"u8.ToArray());

        var result = JsonRpcInspector.Inspect(body.ToArray());

        result.Failure!.Code.Should().Be(ParseError);
    }

    [Fact]
    public void Inspect_Utf8ByteOrderMark_IsAParseError()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat("""{"jsonrpc":"2.0","id":1,"method":"ping"}"""u8.ToArray()).ToArray();

        JsonRpcInspector.Inspect(body).Failure!.Code.Should().Be(ParseError);
    }

    [Fact]
    public void Inspect_DeeplyNestedArrays_AreAnInvalidRequestNotAnException()
    {
        var body = new string('[', 100_000) + new string(']', 100_000);

        ShouldFail(body, InvalidRequest);
    }

    [Fact]
    public void Inspect_DeeplyNestedArgument_IsAnInvalidRequest()
    {
        var nested = new string('[', 1_000) + new string(']', 1_000);

        ShouldFail(ToolsCall("\"name\":\"x\",\"arguments\":{\"a\":" + nested + "}"), InvalidRequest);
    }

    [Fact]
    public void Inspect_UnclosedDeepNesting_IsRejected()
    {
        var result = Inspect($$"""{"jsonrpc":"2.0","id":1,"method":"ping","params":{{new string('[', 1_000_000)}}""");

        result.IsValid.Should().BeFalse();
    }

    [Fact]
    public void Inspect_NestingWithinTheLimit_IsAccepted()
    {
        // The message, params and arguments objects are 3 levels, so 61 arrays reach the limit of 64.
        var nested = new string('[', 61) + new string(']', 61);

        var message = Single(ToolsCall("\"name\":\"x\",\"arguments\":{\"a\":" + nested + "}"));

        message.ArgumentKeys.Should().Equal("a");
    }

    [Fact]
    public void Inspect_NestingOneBeyondTheLimit_IsAnInvalidRequest()
    {
        var nested = new string('[', 62) + new string(']', 62);

        ShouldFail(ToolsCall("\"name\":\"x\",\"arguments\":{\"a\":" + nested + "}"), InvalidRequest);
    }

    [Fact]
    public void Inspect_HugeStringArgument_IsAccepted()
    {
        var huge = new string('x', 3 * 1024 * 1024);

        var message = Single(ToolsCall("\"name\":\"write_file\",\"arguments\":{\"content\":\"" + huge + "\"}"));

        message.ArgumentKeys.Should().Equal("content");
    }

    [Fact]
    public void Inspect_HugeToolName_IsReturnedWhole()
    {
        var huge = new string('n', 1024 * 1024);

        var message = Single($$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{{huge}}}"}}""");

        message.Name.Should().HaveLength(huge.Length);
    }

    [Fact]
    public void Inspect_HugeEscapedMethod_IsReadUnescaped()
    {
        var huge = string.Concat(Enumerable.Repeat("\\u0061", 1000));

        var message = Single($$"""{"jsonrpc":"2.0","id":1,"method":"{{huge}}"}""");

        message.Method.Should().Be(new string('a', 1000));
    }

    [Fact]
    public void Inspect_CompletionForAPrompt_ReturnsTheReference()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"code_review"},"argument":{"name":"language","value":"py"}}}""");

        message.Ref.Should().Be(new CompletionReference("ref/prompt", "code_review", null));
    }

    [Fact]
    public void Inspect_CompletionForAResource_ReturnsTheReferenceUri()
    {
        var message = Single("""{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{"type":"ref/resource","uri":"file:///{path}"},"argument":{"name":"path","value":"a"}}}""");

        message.Ref!.Uri.Should().Be("file:///{path}");
    }

    [Theory]
    [InlineData("""{"argument":{"name":"a","value":"b"}}""")]
    [InlineData("""{"ref":"ref/prompt"}""")]
    [InlineData("""{"ref":{"type":"ref/prompt"}}""")]
    [InlineData("""{"ref":{"type":"ref/resource","uri":7}}""")]
    [InlineData("""{"ref":{"type":"ref/prompt","name":"a","name":"b"}}""")]
    public void Inspect_CompletionWithoutAUsableReference_IsInvalidRequest(string parameters)
    {
        ShouldFail($$"""{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{{parameters}}}""", InvalidRequest);
    }

    [Fact]
    public void Inspect_ArbitraryBytes_NeverThrow()
    {
        var random = new Random(20261122);
        var seed = Encoding.UTF8.GetBytes("""[{"jsonrpc":"2.0","id":"a\u0062","method":"tools/call","params":{"name":"x","arguments":{"k":[1,2,{"z":null}]},"ref":{"type":"t"}}}]""");
        var alphabet = Encoding.UTF8.GetBytes("{}[]\":,\\u0aenltrf1-. \r\n");

        for (var i = 0; i < 20_000; i++)
        {
            var body = (byte[])seed.Clone();
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations; m++)
            {
                var position = random.Next(body.Length);
                body[position] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            var length = random.Next(body.Length + 1);
            var act = () => JsonRpcInspector.Inspect(body.AsSpan(0, length));

            act.Should().NotThrow();
        }
    }
}
