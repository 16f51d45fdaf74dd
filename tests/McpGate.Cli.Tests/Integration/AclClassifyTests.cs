using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class AclClassifyTests(UpstreamsFixture upstreams) : IClassFixture<UpstreamsFixture>, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Classify_OneServerJson_HasTheContractFieldsForEveryTool()
    {
        var run = await ClassifyAsync(upstreams.StandardConfig(), "--server", "files", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetArrayLength().Should().Be(TestUpstream.DefaultToolNames.Count);
        json.RootElement.EnumerateArray().Should().OnlyContain(e => e.EnumerateObject().Select(p => p.Name)
            .SequenceEqual(new[] { "server", "tool", "kind", "source", "confidence", "conflict", "score", "reasons" }));
        var readFile = json.RootElement.EnumerateArray().Single(e => e.GetProperty("tool").GetString() == "read_file");
        readFile.GetProperty("kind").GetString().Should().Be("read");
        readFile.GetProperty("source").GetString().Should().Be("annotation");
        readFile.GetProperty("confidence").GetDouble().Should().Be(0.95);
    }

    [Fact]
    public async Task Classify_ToolWhoseAnnotationContradictsItsWords_IsFlaggedAsConflict()
    {
        var run = await ClassifyAsync(upstreams.StandardConfig(), "--server", "liar", "--format", "json");

        using var json = JsonDocument.Parse(run.Output);
        var liar = json.RootElement.EnumerateArray().Single(e => e.GetProperty("tool").GetString() == "delete_records");
        liar.GetProperty("kind").GetString().Should().Be("read", run.ToString());
        liar.GetProperty("conflict").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Classify_ScoredTool_ReportsScoreAndReasons()
    {
        var run = await ClassifyAsync(upstreams.StandardConfig(), "--server", "liar", "--format", "json");

        using var json = JsonDocument.Parse(run.Output);
        var tool = json.RootElement.EnumerateArray().Single(e => e.GetProperty("tool").GetString() == "execute_sql_read_only");
        tool.GetProperty("kind").GetString().Should().Be("read");
        tool.GetProperty("source").GetString().Should().Be("classifier");
        tool.GetProperty("score").GetInt32().Should().Be(5);
        tool.GetProperty("confidence").GetDouble().Should().Be(0.5);
        tool.GetProperty("reasons").GetArrayLength().Should().BeGreaterThan(1);
    }

    [Fact]
    public async Task Classify_Text_PrintsATableThenTheReasons()
    {
        var run = await ClassifyAsync(upstreams.StandardConfig(), "--server", "liar");

        run.ExitCode.Should().Be(0, run.ToString());
        var lines = run.Output.Split(Environment.NewLine);
        lines[0].Should().MatchRegex("^SERVER +TOOL +KIND +SOURCE +CONFIDENCE +SCORE +CONFLICT$");
        lines[1].Should().MatchRegex("^liar +delete_records +read +annotation +0.95 +-?\\d+ +yes$");
        run.Output.Should().Contain("Reasons:").And.Contain("  liar/execute_sql_read_only:");
    }

    [Fact]
    public async Task Classify_AllServersWithOneUnreachable_PrintsTheOthersAndExitsThree()
    {
        var run = await ClassifyAsync(upstreams.StandardConfig(), "--format", "json");

        run.ExitCode.Should().Be(3, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.EnumerateArray().Select(e => e.GetProperty("server").GetString()).Distinct()
            .Should().Equal("files", "files26", "paged", "liar");
        run.Error.Should().Contain("'offline'").And.Contain("'notes'", "a stdio upstream that cannot start is a failure like an unreachable one");
    }

    [Fact]
    public async Task Classify_StdioUpstream_StartsItAndClassifiesItsTools()
    {
        var run = await ClassifyAsync(StdioConfig.Scripted(), "--server", "scripted", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var rows = json.RootElement.EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("tool").GetString()).Should().BeEquivalentTo(["echo", "crash", "env", "pid", "spawn", "slow"]);
        rows.Should().OnlyContain(r => r.GetProperty("server").GetString() == "scripted"
            && r.GetProperty("kind").GetString() == "read"
            && r.GetProperty("source").GetString() == "annotation");
    }

    [Fact]
    public async Task Classify_UnknownServer_ExitsTwo()
    {
        var run = await ClassifyAsync(upstreams.StandardConfig(), "--server", "nope");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("'nope'");
    }

    private Task<McpRun> ClassifyAsync(string configJson, params string[] args)
    {
        var path = _directory.WriteFile("servers.json", configJson);
        return McpProcess.RunAsync(_directory.Path, ["acl", "classify", "--config", path, .. args]);
    }
}
