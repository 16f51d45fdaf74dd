using System.Text.Json;
using McpGate.Cli.Tests.Integration;
using McpGate.Cli.Tests.Support;
using McpGate.Testing;

namespace McpGate.Cli.Tests.PolicyCi;

/// <summary><c>mcp acl snapshot</c> against real SDK upstreams, and <c>--tools-snapshot</c> with no upstream running.</summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class AclSnapshotTests(UpstreamsFixture upstreams) : IClassFixture<UpstreamsFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Snapshot_RecordsToolsPromptsResourcesAndTemplates_SortedAndByteStable()
    {
        var config = _directory.WriteFile("servers.json", upstreams.StandardConfig());
        var first = Path.Combine(_directory.Path, "first.json");
        var second = Path.Combine(_directory.Path, "second.json");

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "snapshot", "--config", config, "--server", "liar", "--server", "files", "--out", first]);
        var again = await McpProcess.RunAsync(_directory.Path, ["acl", "snapshot", "--config", config, "--server", "files", "--server", "liar", "--out", second]);

        run.ExitCode.Should().Be(0, run.ToString());
        again.ExitCode.Should().Be(0, again.ToString());
        run.Output.Should().Contain("files").And.Contain("Wrote " + first);
        (await File.ReadAllTextAsync(second)).Should().Be(await File.ReadAllTextAsync(first), "two snapshots of the same upstreams must diff clean");

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(first));
        json.RootElement.GetProperty("mcpgate_snapshot").GetInt32().Should().Be(1);
        var servers = json.RootElement.GetProperty("servers");
        servers.EnumerateObject().Select(p => p.Name).Should().Equal("files", "liar");
        var files = servers.GetProperty("files");
        var tools = files.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        tools.Should().BeEquivalentTo(TestUpstream.DefaultToolNames).And.BeInAscendingOrder(StringComparer.Ordinal);
        var readFile = files.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "read_file");
        readFile.GetProperty("description").GetString().Should().Be("Reads a file and returns its contents.");
        readFile.GetProperty("annotations").GetProperty("readOnlyHint").GetBoolean().Should().BeTrue();
        readFile.GetProperty("input_schema").GetProperty("properties").TryGetProperty("path", out _).Should().BeTrue();
        files.GetProperty("prompts").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Equal("admin_prompt", "code_review");
        files.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("uri").GetString())
            .Should().Equal("file:///public/readme.md", "file:///secret/keys.txt");
        files.GetProperty("resource_templates").EnumerateArray().Select(r => r.GetProperty("uri_template").GetString())
            .Should().Equal("file:///projects/{name}/notes.md");
    }

    [Fact]
    public async Task Snapshot_UnreachableUpstream_ExitsThreeAndWritesNothing()
    {
        var config = _directory.WriteFile("servers.json", upstreams.StandardConfig());
        var output = Path.Combine(_directory.Path, "snapshot.json");

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "snapshot", "--config", config, "--server", "files", "--server", "offline", "--out", output]);

        run.ExitCode.Should().Be(3, run.ToString());
        run.Error.Should().Contain("'offline'").And.Contain("no snapshot written");
        File.Exists(output).Should().BeFalse();
    }

    [Fact]
    public async Task CheckAndClassify_WithToolsSnapshot_AnswerAsLiveDiscoveryDoes_WithTheUpstreamsGone()
    {
        var live = _directory.WriteFile("servers.json", upstreams.StandardConfig());
        var snapshot = await SnapshotAsync(live, "files", "liar");

        // The same policy, but every upstream URL now points at a closed port: only the snapshot can answer.
        var offlineConfig = _directory.WriteFile(
            "offline.json",
            upstreams.StandardConfig()
                .Replace(upstreams.Stateful.McpUrl.ToString(), UnusedLoopback.McpUrl().ToString(), StringComparison.Ordinal)
                .Replace(upstreams.Liar.McpUrl.ToString(), UnusedLoopback.McpUrl().ToString(), StringComparison.Ordinal));

        var liveCheck = await McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", live, "--subject", "bob", "--server", "files", "--all-tools", "--format", "json"]);
        var snapshotCheck = await McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", offlineConfig, "--subject", "bob", "--server", "files", "--all-tools", "--format", "json", "--tools-snapshot", snapshot]);
        var liveClassify = await McpProcess.RunAsync(_directory.Path, ["acl", "classify", "--config", live, "--server", "liar", "--format", "json"]);
        var snapshotClassify = await McpProcess.RunAsync(_directory.Path, ["acl", "classify", "--config", offlineConfig, "--server", "liar", "--format", "json", "--tools-snapshot", snapshot]);

        snapshotCheck.ExitCode.Should().Be(0, snapshotCheck.ToString());
        snapshotCheck.Output.Should().Be(liveCheck.Output);
        snapshotClassify.ExitCode.Should().Be(0, snapshotClassify.ToString());
        snapshotClassify.Output.Should().Be(liveClassify.Output);
    }

    [Fact]
    public async Task Check_ServerMissingFromSnapshot_ExitsThreeSayingHowToAddIt()
    {
        var config = _directory.WriteFile("servers.json", upstreams.StandardConfig());
        var snapshot = await SnapshotAsync(config, "liar");

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", config, "--subject", "bob", "--server", "files", "--tool", "read_file", "--tools-snapshot", snapshot]);

        run.ExitCode.Should().Be(3, run.ToString());
        run.Error.Should().Contain("'files' is not in the tools snapshot").And.Contain("records: liar").And.Contain("mcp acl snapshot --server files");
    }

    [Fact]
    public async Task Check_SnapshotThatIsNotASnapshot_ExitsTwoNamingFilePathAndFix()
    {
        var config = _directory.WriteFile("servers.json", upstreams.StandardConfig());
        var bogus = _directory.WriteFile("bogus.json", """{ "servers": {} }""");

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", config, "--subject", "bob", "--server", "files", "--tool", "read_file", "--tools-snapshot", bogus]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("bogus.json: $: not a tools snapshot").And.Contain("Fix: re-create it with 'mcp acl snapshot");
    }

    private async Task<string> SnapshotAsync(string config, params string[] servers)
    {
        var path = Path.Combine(_directory.Path, $"snapshot-{string.Join('-', servers)}.json");
        var args = new List<string> { "acl", "snapshot", "--config", config, "--out", path };
        foreach (var server in servers)
        {
            args.AddRange(["--server", server]);
        }

        var run = await McpProcess.RunAsync(_directory.Path, args);
        run.ExitCode.Should().Be(0, run.ToString());
        return path;
    }
}
