using McpGate.Cli.Commands.Acl;
using McpGate.Configuration;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Discovery;

[Trait("Category", "Network")]
public sealed class UpstreamToolsTests
{
    [Fact]
    public async Task Discover_ReachableUpstream_ReturnsItsTools()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });

        var result = await UpstreamTools.DiscoverAsync(
            new UpstreamConfig { Alias = "files", Url = upstream.McpUrl }, TimeSpan.FromSeconds(10), CancellationToken.None);

        result.Succeeded.Should().BeTrue(result.Failure);
        result.Tools!.Select(t => t.Name).Should().BeEquivalentTo(TestUpstream.DefaultToolNames);
    }

    [Fact]
    public async Task Discover_RefusedConnection_FailsNamingTheServerButNotTheUrlsCredentials()
    {
        var port = UnusedLoopback.Port();
        var upstream = new UpstreamConfig { Alias = "down", Url = new Uri($"http://user:hunter2@127.0.0.1:{port}/mcp?token=abc123") };

        var result = await UpstreamTools.DiscoverAsync(upstream, TimeSpan.FromSeconds(5), CancellationToken.None);

        result.Succeeded.Should().BeFalse();
        result.Unsupported.Should().BeFalse();
        result.Failure.Should().Contain("'down'").And.Contain($"http://127.0.0.1:{port}/mcp")
            .And.NotContain("hunter2").And.NotContain("abc123");
    }

    [Fact]
    public async Task Discover_StdioUpstream_IsReportedAsUnsupportedWithTheOfflineHint()
    {
        var upstream = new UpstreamConfig { Alias = "notes", Command = "notes-server" };

        var result = await UpstreamTools.DiscoverAsync(upstream, TimeSpan.FromSeconds(5), CancellationToken.None);

        result.Unsupported.Should().BeTrue();
        result.Failure.Should().Contain("'notes'").And.Contain("--offline");
    }

    [Fact]
    public void Timeout_NotGiven_FallsBackToTheConfiguredDiscoveryTimeout()
    {
        var timeout = UpstreamTools.ResolveTimeout(null, TimeSpan.FromSeconds(7));

        timeout.Should().Be(TimeSpan.FromSeconds(7));
    }
}
