using System.Net;
using McpGate.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGate.Mcp.Tests.Discovery;

/// <summary>The test upstreams every later test relies on, checked directly with the SDK's own client.</summary>
[Trait("Category", "Network")]
public sealed class TestUpstreamTests
{
    private static readonly TestClientOptions s_legacy = new() { ProtocolVersion = TestMcpClient.LegacyProtocolVersion };

    [Fact]
    public async Task StatefulUpstream_DefaultClient_FallsBackToInitializeWithSession()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateful2025 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        client.NegotiatedProtocolVersion.Should().Be(TestMcpClient.LegacyProtocolVersion);
        client.SessionId.Should().NotBeNullOrEmpty();
        upstream.Spy.SawMethod("initialize").Should().BeTrue();
    }

    [Fact]
    public async Task StatelessUpstream_DefaultClient_Negotiates2026WithoutSession()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateless2026 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        client.NegotiatedProtocolVersion.Should().Be(TestMcpClient.ModernProtocolVersion);
        client.SessionId.Should().BeNull();
        upstream.Spy.SawMethod("initialize").Should().BeFalse();
    }

    [Theory]
    [InlineData(null, TestMcpClient.ModernProtocolVersion)]
    [InlineData(TestMcpClient.LegacyProtocolVersion, TestMcpClient.LegacyProtocolVersion)]
    public async Task BothEraUpstream_EitherClient_NegotiatesItsVersion(string? requested, string expected)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Both });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new() { ProtocolVersion = requested });

        client.NegotiatedProtocolVersion.Should().Be(expected);
    }

    [Theory]
    [InlineData(UpstreamEra.Stateful2025)]
    [InlineData(UpstreamEra.Stateless2026)]
    [InlineData(UpstreamEra.Both)]
    public async Task ListTools_AnyEra_ReturnsDefaultToolsInOrder(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = era });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Should().Equal(TestUpstream.DefaultToolNames);
        upstream.ToolNames.Should().Equal(TestUpstream.DefaultToolNames);
    }

    [Theory]
    [InlineData(UpstreamEra.Stateful2025)]
    [InlineData(UpstreamEra.Stateless2026)]
    public async Task CallTool_AnyEra_RunsToolBodyOnce(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = era });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var result = await client.CallToolAsync("get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" });

        result.IsError.Should().NotBe(true);
        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("Oslo");
        upstream.Spy.ExecutedToolCount("get_weather").Should().Be(1);
        upstream.Spy.SawToolCall("get_weather").Should().BeTrue();
    }

    [Fact]
    public async Task ListTools_DefaultTools_CarryTheAnnotationsTheyDeclare()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        tools["read_file"].Annotations!.ReadOnlyHint.Should().BeTrue();
        tools["list_files"].Annotations!.ReadOnlyHint.Should().BeTrue();
        tools["delete_file"].Annotations!.DestructiveHint.Should().BeTrue();
        tools["delete_file"].Annotations!.ReadOnlyHint.Should().BeFalse();
        tools["write_file"].Annotations.Should().BeNull();
        tools["write_file"].Description.Should().Be("Writes content to a file");
        tools["get_weather"].Annotations.Should().BeNull();
        tools["get_weather"].Description.Should().Be("Returns the current weather");
        tools["web_search"].Annotations.Should().BeNull();
    }

    [Fact]
    public async Task ListTools_DefaultTools_HaveInputSchemaProperties()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        PropertyNames(tools["write_file"]).Should().Equal("path", "content");
        PropertyNames(tools["list_files"]).Should().Equal("path", "limit");
        PropertyNames(tools["ask_user"]).Should().Equal("question");
    }

    [Fact]
    public async Task ExtraTools_AreListedWithExactlyTheirHints()
    {
        await using var upstream = await TestUpstream.StartAsync(new()
        {
            IncludeDefaultTools = false,
            ExtraTools =
            [
                new TestTool("drop_table") { DestructiveHint = true, InputProperties = ["table"] },
                new TestTool("plain") { Description = "No hints" },
            ],
        });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        tools.Keys.Should().Equal("drop_table", "plain");
        tools["drop_table"].Annotations!.DestructiveHint.Should().BeTrue();
        tools["drop_table"].Annotations!.ReadOnlyHint.Should().BeNull();
        PropertyNames(tools["drop_table"]).Should().Equal("table");
        tools["plain"].Annotations.Should().BeNull();
    }

    [Fact]
    public async Task ExtraTool_Call_RunsItsResponder()
    {
        await using var upstream = await TestUpstream.StartAsync(new()
        {
            ExtraTools = [new TestTool("echo") { InputProperties = ["text"], Respond = a => "echo:" + a["text"].GetString() }],
        });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "hi" });

        result.Content.OfType<TextContentBlock>().Single().Text.Should().Be("echo:hi");
        upstream.Spy.ExecutedToolCount("echo").Should().Be(1);
    }

    [Fact]
    public async Task PaginatedUpstream_FirstPage_HasPageSizeToolsAndNextCursor()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { ToolsPageSize = 3 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var page = await client.ListToolsAsync(new ListToolsRequestParams());

        page.Tools.Select(t => t.Name).Should().Equal(TestUpstream.DefaultToolNames.Take(3));
        page.NextCursor.Should().NotBeNull();
    }

    [Fact]
    public async Task PaginatedUpstream_SdkAggregation_ReturnsEveryToolAcrossPages()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { ToolsPageSize = 3 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Should().Equal(TestUpstream.DefaultToolNames);
        upstream.Spy.RequestsFor("tools/list").Should().HaveCount(3);
    }

    [Theory]
    [InlineData(false, "text/event-stream")]
    [InlineData(true, "application/json")]
    public async Task ToolsList_ResponseFormat_FollowsJsonResponsesOption(bool jsonResponses, string mediaType)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { JsonResponses = jsonResponses });
        using var recorder = new ResponseRecorder();
        using var http = new HttpClient(recorder);
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new() { HttpClient = http });

        var tools = await client.ListToolsAsync();

        tools.Should().HaveCount(TestUpstream.DefaultToolNames.Count);
        recorder.Exchanges.Single(e => e.McpMethod == "tools/list").ContentType.Should().Be(mediaType);
    }

    [Fact]
    public async Task Spy_ToolCall_RecordsEveryHeaderAndTheRawBody()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new()
        {
            Headers = new Dictionary<string, string>
            {
                ["Authorization"] = "Bearer secret-token",
                ["Cookie"] = "sid=abc",
                ["X-Forwarded-For"] = "10.0.0.9",
            },
        });

        await client.CallToolAsync("read_file", new Dictionary<string, object?> { ["path"] = "/public/readme.md" });

        var call = upstream.Spy.RequestsFor("tools/call").Single();
        call.ToolName.Should().Be("read_file");
        call.Header("authorization").Should().Be("Bearer secret-token");
        call.Header("cookie").Should().Be("sid=abc");
        call.Header("x-forwarded-for").Should().Be("10.0.0.9");
        call.BodyText.Should().Contain("\"/public/readme.md\"");
        call.JsonRpcId.Should().NotBeNull();
    }

    [Fact]
    public async Task Spy_ResourceReadAndPromptGet_AreRecordedAndCounted()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        await client.ReadResourceAsync(TestUpstream.SecretKeysUri);
        await client.GetPromptAsync("code_review", new Dictionary<string, object?> { ["code"] = "x++" });

        upstream.Spy.RequestsFor("resources/read").Single().ResourceUri.Should().Be(TestUpstream.SecretKeysUri);
        upstream.Spy.ResourceReadCount(TestUpstream.SecretKeysUri).Should().Be(1);
        upstream.Spy.RequestsFor("prompts/get").Single().PromptName.Should().Be("code_review");
        upstream.Spy.PromptGetCount("code_review").Should().Be(1);
    }

    [Fact]
    public async Task ListResourcesAndPrompts_ReturnTheDefaults()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);

        (await client.ListResourcesAsync()).Select(r => r.Uri).Should().BeEquivalentTo(TestUpstream.ResourceUris);
        (await client.ListResourceTemplatesAsync()).Select(r => r.UriTemplate).Should()
            .Equal(TestUpstream.ProjectNotesTemplate);
        (await client.ListPromptsAsync()).Select(p => p.Name).Should().BeEquivalentTo(TestUpstream.PromptNames);
    }

    [Theory]
    [InlineData(UpstreamEra.Stateful2025)]
    [InlineData(UpstreamEra.Stateless2026)]
    [InlineData(UpstreamEra.Both)]
    public async Task Elicitation_AnyEra_ReturnsWhatTheClientAnswered(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = era });
        string? asked = null;
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new()
        {
            AnswerElicitation = message =>
            {
                asked = message;
                return "blue";
            },
        });

        var result = await client.CallToolAsync("ask_user", new Dictionary<string, object?> { ["question"] = "Favourite colour?" });

        result.Content.OfType<TextContentBlock>().Single().Text.Should().Be("user answered: blue");
        asked.Should().Be("Favourite colour?");
    }

    [Fact]
    public async Task Elicitation_ClientDeclines_ToolReportsNoAnswer()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateful2025 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new() { AnswerElicitation = _ => null });

        var result = await client.CallToolAsync("ask_user", new Dictionary<string, object?> { ["question"] = "?" });

        result.Content.OfType<TextContentBlock>().Single().Text.Should().Be("user did not answer (decline)");
    }

    [Fact]
    public async Task Elicitation_LegacySession_AnswerArrivesAsJsonRpcResponsePost()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateful2025 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new() { AnswerElicitation = _ => "blue" });

        await client.CallToolAsync("ask_user", new Dictionary<string, object?> { ["question"] = "?" });

        upstream.Spy.RequestsFor("tools/call").Should().ContainSingle();
        upstream.Spy.Requests.Should().ContainSingle(r => r.HttpMethod == "POST" && r.Method == null && r.BodyText.Contains("\"result\""));
    }

    [Fact]
    public async Task Elicitation_ModernClient_RetriesToolCallWithInputResponses()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateless2026 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new() { AnswerElicitation = _ => "blue" });

        await client.CallToolAsync("ask_user", new Dictionary<string, object?> { ["question"] = "?" });

        var calls = upstream.Spy.RequestsFor("tools/call");
        calls.Should().HaveCount(2);
        calls[1].BodyText.Should().Contain("\"inputResponses\"");
    }

    [Theory]
    [InlineData(UpstreamEra.Stateful2025)]
    [InlineData(UpstreamEra.Stateless2026)]
    public async Task Sampling_AnyEra_ReturnsTheClientModelsReply(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = era });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl, new()
        {
            AnswerSampling = prompt => $"short version of [{prompt}]",
        });

        var result = await client.CallToolAsync("summarize_with_llm", new Dictionary<string, object?> { ["text"] = "long text" });

        result.Content.OfType<TextContentBlock>().Single().Text.Should()
            .Be("summary (test-model): short version of [Summarize: long text]");
    }

    [Fact]
    public async Task StatefulClientDispose_SendsDeleteWithItsSession()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateful2025 });
        var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);
        var sessionId = client.SessionId;

        await client.DisposeAsync();

        var delete = await upstream.Spy.WaitForRequestAsync(r => r.HttpMethod == "DELETE");
        delete.Header("mcp-session-id").Should().Be(sessionId);
    }

    [Fact]
    public async Task FailNextRequestsWith_FailsThatManyRequestsThenRecovers()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateless2026 });
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);
        upstream.FailNextRequestsWith(HttpStatusCode.ServiceUnavailable);

        var failing = () => client.ListToolsAsync().AsTask();

        (await failing.Should().ThrowAsync<HttpRequestException>()).Which.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.ListToolsAsync()).Should().HaveCount(TestUpstream.DefaultToolNames.Count);
    }

    [Fact]
    public async Task SpyClear_ForgetsRequestsAndExecutions()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var client = await TestMcpClient.ConnectAsync(upstream.McpUrl);
        await client.CallToolAsync("web_search", new Dictionary<string, object?> { ["query"] = "x" });

        upstream.Spy.Clear();

        upstream.Spy.Requests.Should().BeEmpty();
        upstream.Spy.ExecutedToolCount("web_search").Should().Be(0);
    }

    private static List<string> PropertyNames(Tool tool) =>
        [.. tool.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
}
