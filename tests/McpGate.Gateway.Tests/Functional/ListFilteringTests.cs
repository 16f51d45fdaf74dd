using McpGate.Testing;
using ModelContextProtocol.Client;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// gateway.md §1.2 step 8: every list loses what the caller may not use, whether the upstream answers
/// <c>application/json</c> or <c>text/event-stream</c>, and the caller gets the answer in the upstream's media type.
/// </summary>
[Trait("Category", "Network")]
public sealed class ListFilteringTests(ListFilteringTests.Upstreams upstreams) : IClassFixture<ListFilteringTests.Upstreams>
{
    public static TheoryData<bool> MediaTypes => new() { true, false };

    [Theory]
    [MemberData(nameof(MediaTypes))]
    public async Task ToolsList_ShowsAReaderOnlyTheReadTools_InTheUpstreamsMediaType(bool jsonUpstream)
    {
        await using var bob = await RecordedClient.ConnectAsync(upstreams.Gate(jsonUpstream), GatePolicies.BobToken);

        var tools = (await bob.Client.ListToolsAsync()).Select(t => t.Name);

        tools.Should().BeEquivalentTo("read_file", "list_files", "web_search", "get_weather");
        bob.MediaTypeOf("tools/list").Should().Be(Upstreams.MediaType(jsonUpstream));
    }

    [Theory]
    [MemberData(nameof(MediaTypes))]
    public async Task PromptsList_ShowsOnlyThePromptsTheCallerMayGet_InTheUpstreamsMediaType(bool jsonUpstream)
    {
        await using var bob = await RecordedClient.ConnectAsync(upstreams.Gate(jsonUpstream), GatePolicies.BobToken);

        var prompts = (await bob.Client.ListPromptsAsync()).Select(p => p.Name);

        prompts.Should().BeEquivalentTo("code_review");
        bob.MediaTypeOf("prompts/list").Should().Be(Upstreams.MediaType(jsonUpstream));
    }

    [Theory]
    [MemberData(nameof(MediaTypes))]
    public async Task ResourcesList_ShowsOnlyTheResourcesTheCallerMayRead_InTheUpstreamsMediaType(bool jsonUpstream)
    {
        await using var bob = await RecordedClient.ConnectAsync(upstreams.Gate(jsonUpstream), GatePolicies.BobToken);

        var resources = (await bob.Client.ListResourcesAsync()).Select(r => r.Uri);

        resources.Should().BeEquivalentTo(TestUpstream.ReadmeUri);
        bob.MediaTypeOf("resources/list").Should().Be(Upstreams.MediaType(jsonUpstream));
    }

    [Theory]
    [MemberData(nameof(MediaTypes))]
    public async Task ResourceTemplatesList_HidesATemplateOutsideTheCallersResourceGrants_InTheUpstreamsMediaType(bool jsonUpstream)
    {
        var gate = upstreams.Gate(jsonUpstream);
        await using var bob = await RecordedClient.ConnectAsync(gate, GatePolicies.BobToken);
        await using var dave = await RecordedClient.ConnectAsync(gate, GatePolicies.DaveToken);

        var bobTemplates = (await bob.Client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate);
        var daveTemplates = await dave.Client.ListResourceTemplatesAsync();

        bobTemplates.Should().BeEquivalentTo(TestUpstream.ProjectNotesTemplate);
        daveTemplates.Should().BeEmpty("dave may read file:///public/* only");
        dave.MediaTypeOf("resources/templates/list").Should().Be(Upstreams.MediaType(jsonUpstream));
    }

    /// <summary>Two upstreams, one answering JSON and one SSE, each behind its own gate; lists change nothing, so shared.</summary>
    public sealed class Upstreams : IAsyncLifetime
    {
        private TestUpstream _jsonUpstream = null!;
        private TestUpstream _sseUpstream = null!;
        private RunningGate _jsonGate = null!;
        private RunningGate _sseGate = null!;

        internal static string MediaType(bool json) => json ? "application/json" : "text/event-stream";

        internal RunningGate Gate(bool json) => json ? _jsonGate : _sseGate;

        public async Task InitializeAsync()
        {
            _jsonUpstream = await TestUpstream.StartAsync(new TestUpstreamOptions { JsonResponses = true });
            _sseUpstream = await TestUpstream.StartAsync(new TestUpstreamOptions());
            _jsonGate = await RunningGate.StartAsync(GatePolicies.Standard(_jsonUpstream.McpUrl));
            _sseGate = await RunningGate.StartAsync(GatePolicies.Standard(_sseUpstream.McpUrl));
        }

        public async Task DisposeAsync()
        {
            await _jsonGate.DisposeAsync();
            await _sseGate.DisposeAsync();
            await _jsonUpstream.DisposeAsync();
            await _sseUpstream.DisposeAsync();
        }
    }

    /// <summary>An SDK client (2026-07-28 first) whose HTTP exchanges are recorded, to see each answer's media type.</summary>
    private sealed class RecordedClient : IAsyncDisposable
    {
        private readonly ResponseRecorder _recorder;
        private readonly HttpClient _http;

        private RecordedClient(ResponseRecorder recorder, HttpClient http, McpClient client)
        {
            _recorder = recorder;
            _http = http;
            Client = client;
        }

        public McpClient Client { get; }

        public static async Task<RecordedClient> ConnectAsync(RunningGate gate, string token)
        {
            var recorder = new ResponseRecorder();
            var http = new HttpClient(recorder);
            var client = await TestMcpClient.ConnectAsync(gate.McpUrl("files"), new TestClientOptions
            {
                Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
                HttpClient = http,
            });
            return new RecordedClient(recorder, http, client);
        }

        /// <summary>The media type of the one successful answer to <paramref name="method"/>.</summary>
        public string? MediaTypeOf(string method) =>
            _recorder.Exchanges.Should().ContainSingle(e => e.McpMethod == method && e.StatusCode == 200).Subject.ContentType;

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            _http.Dispose();
            _recorder.Dispose();
        }
    }
}
