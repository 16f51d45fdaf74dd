using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>Real SDK clients through the real gate to real SDK upstreams of both protocol eras.</summary>
[Trait("Category", "Network")]
public sealed class GateFlowTests
{
    public static TheoryData<UpstreamEra> Eras => new() { UpstreamEra.Stateful2025, UpstreamEra.Stateless2026 };

    [Theory]
    [MemberData(nameof(Eras))]
    public async Task AllowedToolCall_ReturnsTheUpstreamsResult(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = era });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var client = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, era);

        var result = await client.CallToolAsync("read_file", GateClients.Args(("path", "/public/notes.txt")));

        result.IsError.Should().NotBe(true);
        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("remember the milk");
        upstream.Spy.ExecutedToolCount("read_file").Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Eras))]
    public async Task DeniedToolCall_GetsTheDenyEnvelope_AndTheUpstreamNeverExecutesIt(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = era });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var client = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, era);

        var call = () => client.CallToolAsync("delete_file", GateClients.Args(("path", "notes.txt"))).AsTask();

        var denied = (await call.Should().ThrowAsync<McpProtocolException>()).Which;
        ((int)denied.ErrorCode).Should().Be(-32003);
        denied.Message.Should().Contain("capability_denied");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
        upstream.Spy.SawToolCall("delete_file").Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Eras))]
    public async Task ToolsList_ShowsEachCallerExactlyWhatItMayCall(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = era });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, era);
        await using var alice = await GateClients.ConnectAsync(gate, GatePolicies.AliceToken, era);
        await using var carol = await GateClients.ConnectAsync(gate, GatePolicies.CarolToken, era);

        var bobTools = (await bob.ListToolsAsync()).Select(t => t.Name);
        var aliceTools = (await alice.ListToolsAsync()).Select(t => t.Name);
        var carolTools = await carol.ListToolsAsync();

        // web_search and get_weather carry no annotations: the classifier reads them as reads from name and description.
        bobTools.Should().BeEquivalentTo("read_file", "list_files", "web_search", "get_weather");
        aliceTools.Should().BeEquivalentTo(upstream.ToolNames);
        carolTools.Should().BeEmpty("an explicit deny wins over the reader role's read grant");
    }

    [Fact]
    public async Task ToolCallBeforeAnyToolsList_IsClassifiedFromTheGatesOwnDiscovery()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Both });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var client = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);

        // get_weather has no annotations: only its description ("Returns the current weather") makes it a read.
        var result = await client.CallToolAsync("get_weather", GateClients.Args(("city", "Oslo")));

        result.IsError.Should().NotBe(true);
        upstream.Spy.ExecutedToolCount("get_weather").Should().Be(1);
        upstream.Spy.RequestsFor("tools/list").Should().NotBeEmpty("the gate discovered the catalog itself");
    }

    [Theory]
    [MemberData(nameof(Eras))]
    public async Task ResourcesAndPrompts_AreFilteredAndDecided(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = era });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, era);

        var resources = (await bob.ListResourcesAsync()).Select(r => r.Uri);
        var prompts = (await bob.ListPromptsAsync()).Select(p => p.Name);
        var readme = await bob.ReadResourceAsync(TestUpstream.ReadmeUri);
        var readSecret = () => bob.ReadResourceAsync(TestUpstream.SecretKeysUri).AsTask();
        var getAdminPrompt = () => bob.GetPromptAsync("admin_prompt").AsTask();

        resources.Should().BeEquivalentTo(TestUpstream.ReadmeUri);
        prompts.Should().BeEquivalentTo("code_review");
        readme.Contents.Should().NotBeEmpty();
        ((int)(await readSecret.Should().ThrowAsync<McpProtocolException>()).Which.ErrorCode).Should().Be(-32003);
        ((int)(await getAdminPrompt.Should().ThrowAsync<McpProtocolException>()).Which.ErrorCode).Should().Be(-32003);
        upstream.Spy.ResourceReadCount(TestUpstream.SecretKeysUri).Should().Be(0);
        upstream.Spy.PromptGetCount("admin_prompt").Should().Be(0);
    }

    [Fact]
    public async Task ElicitationRequestedByTheUpstream_RoundTripsThroughTheGate()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var alice = await GateClients.ConnectAsync(gate, GatePolicies.AliceToken, UpstreamEra.Stateful2025, answerElicitation: _ => "blue");

        var result = await alice.CallToolAsync("ask_user", GateClients.Args(("question", "favourite colour?")));

        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("blue");
    }

    [Fact]
    public async Task SamplingRequestedByTheUpstream_RoundTripsThroughTheGate()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var alice = await GateClients.ConnectAsync(gate, GatePolicies.AliceToken, UpstreamEra.Stateful2025, answerSampling: _ => "a short summary");

        var result = await alice.CallToolAsync("summarize_with_llm", GateClients.Args(("text", "a long text")));

        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("a short summary");
    }

    [Fact]
    public async Task DenyAsToolError_AnswersADeniedCallAsAToolResultTheModelCanRead()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, "\"denyAs\": \"tool_error\""));
        await using var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);

        var result = await bob.CallToolAsync("delete_file", GateClients.Args(("path", "x")));

        result.IsError.Should().BeTrue();
        result.Content.OfType<TextContentBlock>().Single().Text.Should().Contain("capability_denied");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
    }
}
