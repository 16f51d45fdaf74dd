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
        result.Failure.Should().Contain("'down'").And.Contain($"http://127.0.0.1:{port}/mcp")
            .And.NotContain("hunter2").And.NotContain("abc123");
    }

    [Fact]
    public async Task Discover_StdioUpstream_StartsTheChildListsItsToolsAndLeavesNoProcess()
    {
        // The marker argument finds the child (and anything it started) in the process table afterwards.
        var marker = "discovery-" + Guid.NewGuid().ToString("N");
        var upstream = new UpstreamConfig
        {
            Alias = "scripted",
            Command = "node",
            Args = [Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs"), marker],
        };

        var result = await UpstreamTools.DiscoverAsync(upstream, TimeSpan.FromSeconds(20), CancellationToken.None);

        result.Succeeded.Should().BeTrue(result.Failure);
        result.Tools!.Select(t => t.Name).Should().BeEquivalentTo(["echo", "crash", "env", "pid", "spawn", "slow"]);
        result.Tools!.Should().OnlyContain(t => t.ReadOnlyHint == true);
        ProcessesNaming(marker).Should().BeEmpty("the child is ended once its tools are listed");
    }

    [Fact]
    public async Task Discover_StdioCommandThatCannotStart_FailsNamingTheServerAndTheCommand()
    {
        var upstream = new UpstreamConfig { Alias = "notes", Command = "no-such-notes-server" };

        var result = await UpstreamTools.DiscoverAsync(upstream, TimeSpan.FromSeconds(10), CancellationToken.None);

        result.Succeeded.Should().BeFalse();
        result.Failure.Should().Contain("'notes'").And.Contain("no-such-notes-server");
    }

    private static List<int> ProcessesNaming(string marker)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid)
                && File.Exists(Path.Combine(directory, "cmdline"))
                && TryRead(Path.Combine(directory, "cmdline")).Contains(marker, StringComparison.Ordinal))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return ""; // the process ended while we looked
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    [Fact]
    public void Timeout_NotGiven_FallsBackToTheConfiguredDiscoveryTimeout()
    {
        var timeout = UpstreamTools.ResolveTimeout(null, TimeSpan.FromSeconds(7));

        timeout.Should().Be(TimeSpan.FromSeconds(7));
    }
}
