using System.Diagnostics;
using System.Net;
using McpGate.Mcp.Discovery;
using McpGate.Testing;

namespace McpGate.Mcp.Tests.Discovery;

[Trait("Category", "Network")]
public sealed class ToolDiscoveryClientTests
{
    private static readonly Dictionary<string, string> s_noHeaders = [];
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly ToolDiscoveryClient _discovery = new();

    [Theory]
    [InlineData(UpstreamEra.Stateful2025, "2025-11-25")]
    [InlineData(UpstreamEra.Stateless2026, "2026-07-28")]
    [InlineData(UpstreamEra.Both, "2026-07-28")]
    public async Task Discover_AnyEra_ListsEveryToolAndTheNegotiatedVersion(UpstreamEra era, string version)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = era, ServerName = "files" });

        var catalog = await _discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        catalog.Server.Should().Be("files");
        catalog.Tools.Select(t => t.Name).Should().Equal(TestUpstream.DefaultToolNames);
        catalog.NegotiatedProtocolVersion.Should().Be(version);
        catalog.ServerName.Should().Be("files");
    }

    [Theory]
    [InlineData(UpstreamEra.Stateful2025)]
    [InlineData(UpstreamEra.Stateless2026)]
    public async Task Discover_JsonResponseUpstream_ListsEveryTool(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = era, JsonResponses = true });

        var catalog = await _discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        catalog.Tools.Select(t => t.Name).Should().Equal(TestUpstream.DefaultToolNames);
    }

    [Fact]
    public async Task Discover_Tools_CarryDescriptionPropertiesAndHintsOrNullWhenAbsent()
    {
        await using var upstream = await TestUpstream.StartAsync();

        var catalog = await _discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        var tools = catalog.Tools.ToDictionary(t => t.Name);
        tools["read_file"].ReadOnlyHint.Should().BeTrue();
        tools["read_file"].DestructiveHint.Should().BeNull();
        tools["delete_file"].ReadOnlyHint.Should().BeFalse();
        tools["delete_file"].DestructiveHint.Should().BeTrue();
        tools["write_file"].Description.Should().Be("Writes content to a file");
        tools["write_file"].InputPropertyNames.Should().Equal("path", "content");
        tools["write_file"].ReadOnlyHint.Should().BeNull();
        tools["write_file"].DestructiveHint.Should().BeNull();
    }

    [Theory]
    [InlineData(UpstreamEra.Stateful2025)]
    [InlineData(UpstreamEra.Stateless2026)]
    public async Task Discover_PaginatedUpstream_FollowsNextCursorToEveryTool(UpstreamEra era)
    {
        await using var upstream = await TestUpstream.StartAsync(new()
        {
            Era = era,
            ToolsPageSize = 2,
            ExtraTools = [new TestTool("run_query")],
        });
        upstream.ToolNames.Should().HaveCount(9, "the scenario is nine tools in pages of two");

        var catalog = await _discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        catalog.Tools.Select(t => t.Name).Should().Equal(upstream.ToolNames);
        upstream.Spy.RequestsFor("tools/list").Should().HaveCount(5);
    }

    [Fact]
    public async Task Discover_ConfiguredHeaders_ReachTheUpstreamOnEveryRequest()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateful2025 });
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer gh-token", ["X-Tenant"] = "acme" };

        await _discovery.DiscoverAsync("github", upstream.McpUrl, headers, s_timeout, default);

        var requests = upstream.Spy.Requests;
        requests.Should().NotBeEmpty();
        requests.Should().OnlyContain(r => r.Header("authorization") == "Bearer gh-token" && r.Header("x-tenant") == "acme");
    }

    [Fact]
    public async Task Discover_StatefulUpstream_EndsItsSessionWithDelete()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateful2025 });

        await _discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        var delete = await upstream.Spy.WaitForRequestAsync(r => r.HttpMethod == "DELETE");
        delete.Header("mcp-session-id").Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Discover_NeverOpensTheStandaloneGetStream()
    {
        await using var upstream = await TestUpstream.StartAsync(new() { Era = UpstreamEra.Stateful2025 });

        await _discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        upstream.Spy.Requests.Should().NotContain(r => r.HttpMethod == "GET");
    }

    [Fact]
    public async Task Discover_ConnectionRefused_ThrowsNamingServerUrlAndCause()
    {
        var url = UnusedLoopback.McpUrl();

        var discover = () => _discovery.DiscoverAsync("github", url, s_noHeaders, s_timeout, default);

        var failure = (await discover.Should().ThrowAsync<DiscoveryException>()).Which;
        failure.Message.Should().Be($"cannot discover tools of server 'github' at {url}: connection refused");
        failure.Server.Should().Be("github");
        failure.Failure.Should().Be(DiscoveryFailure.Unreachable);
    }

    [Fact]
    public async Task Discover_SilentUpstream_ThrowsTimedOutWithinAboutTheTimeout()
    {
        await using var silent = SilentUpstream.Start();
        var timeout = TimeSpan.FromSeconds(1.5);
        var clock = Stopwatch.StartNew();

        var discover = () => _discovery.DiscoverAsync("grafana", silent.McpUrl, s_noHeaders, timeout, default);

        var failure = (await discover.Should().ThrowAsync<DiscoveryException>()).Which;
        clock.Elapsed.Should().BeLessThan(timeout + TimeSpan.FromSeconds(3));
        failure.Message.Should().Be($"cannot discover tools of server 'grafana' at {silent.McpUrl}: timed out after 1.5s");
        failure.Failure.Should().Be(DiscoveryFailure.TimedOut);
        silent.AcceptedConnections.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "HTTP 401 (Unauthorized)")]
    [InlineData(HttpStatusCode.InternalServerError, "HTTP 500 (InternalServerError)")]
    [InlineData(HttpStatusCode.Forbidden, "HTTP 403 (Forbidden)")]
    public async Task Discover_UpstreamHttpError_ThrowsWithTheStatus(HttpStatusCode status, string cause)
    {
        await using var upstream = await TestUpstream.StartAsync();
        upstream.FailNextRequestsWith(status, count: int.MaxValue);

        var discover = () => _discovery.DiscoverAsync("sentry", upstream.McpUrl, s_noHeaders, s_timeout, default);

        var failure = (await discover.Should().ThrowAsync<DiscoveryException>()).Which;
        failure.Message.Should().Be($"cannot discover tools of server 'sentry' at {upstream.McpUrl}: {cause}");
        failure.StatusCode.Should().Be(status);
        failure.Failure.Should().Be(DiscoveryFailure.HttpError);
    }

    [Fact]
    public async Task Discover_WrongPath_ThrowsHttp404()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var url = new Uri(upstream.BaseUrl, "not-mcp");

        var discover = () => _discovery.DiscoverAsync("files", url, s_noHeaders, s_timeout, default);

        (await discover.Should().ThrowAsync<DiscoveryException>()).Which.Cause.Should().Be("HTTP 404 (NotFound)");
    }

    [Fact]
    public async Task Discover_UpstreamAnswersNonMcpJson_ThrowsProtocolError()
    {
        await using var upstream = await TestUpstream.StartAsync();
        upstream.FailNextRequestsWith(HttpStatusCode.OK, count: int.MaxValue);

        var discover = () => _discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        var failure = (await discover.Should().ThrowAsync<DiscoveryException>()).Which;
        failure.Failure.Should().Be(DiscoveryFailure.ProtocolError);
        failure.Cause.Should().StartWith("protocol error");
    }

    [Fact]
    public async Task Discover_CallerCancels_ThrowsOperationCanceledNotDiscoveryException()
    {
        await using var silent = SilentUpstream.Start();
        using var cancel = new CancellationTokenSource();
        var discovery = _discovery.DiscoverAsync("grafana", silent.McpUrl, s_noHeaders, s_timeout, cancel.Token);

        await cancel.CancelAsync();

        await FluentActions.Awaiting(() => discovery).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Discover_ThroughGivenHandler_SendsItsRequestsThroughThatHandler()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var counting = new CountingHandler();
        var discovery = new ToolDiscoveryClient(counting);

        await discovery.DiscoverAsync("files", upstream.McpUrl, s_noHeaders, s_timeout, default);

        counting.Sent.Should().Be(upstream.Spy.Requests.Count);
    }

    private sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
