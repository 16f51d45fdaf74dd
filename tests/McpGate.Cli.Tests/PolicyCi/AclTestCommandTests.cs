using System.Text.Json;
using System.Xml.Linq;
using McpGate.Cli.Tests.Integration;
using McpGate.Cli.Tests.Support;
using McpGate.Testing;

namespace McpGate.Cli.Tests.PolicyCi;

/// <summary><c>mcp acl test</c> as a process: fixtures that pass and fail, against a snapshot of real SDK upstreams.</summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class AclTestCommandTests(UpstreamsFixture upstreams) : IClassFixture<UpstreamsFixture>, IDisposable
{
    private const string Fixtures = """
        {
          // the team's expectations of servers.json
          "tests": [
            { "name": "bob writes files", "subject": "bob", "server": "files", "tool": "write_file", "expect": "allow", "rule": "writer[0]" },
            { "name": "alice reads the readme", "subject": "alice", "server": "files", "resource": "file:///public/readme.md", "expect": "allow", "rule": "reader[0]" },
            { "name": "no secrets for alice", "subject": "alice", "server": "files", "resource": "file:///secret/keys.txt", "expect": "deny", "rule": "nosecret[0]" },
            { "name": "readers cannot delete", "roles": ["reader"], "server": "files", "tool": "delete_file", "expect": "deny", "rule": "default", "classification": "write" },
            { "name": "read_file is read", "roles": ["reader"], "server": "files", "tool": "read_file", "expect": "allow", "classification": "read" },
            { "name": "unlisted tools are unknown", "subject": "bob", "server": "files", "tool": "format_disk", "expect": "deny", "classification": "unknown" },
            { "name": "alice deletes files", "subject": "alice", "server": "files", "tool": "delete_file", "expect": "allow" },
            { "name": "bob reads via writer", "subject": "bob", "server": "files", "tool": "read_file", "access": "read", "expect": "allow", "rule": "writer[0]" },
          ],
        }
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Test_PassingAndFailingCases_PrintsEachFailureWithExpectedVsGot_ThenTheCounts_ExitsOne()
    {
        var (config, snapshot) = await PrepareAsync();
        var fixtures = _directory.WriteFile("policy-tests.json", Fixtures);

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "test", fixtures, "--config", config, "--tools-snapshot", snapshot]);

        run.ExitCode.Should().Be(1, run.ToString());
        var lines = run.Output.TrimEnd().Split(Environment.NewLine);
        lines.Should().HaveCount(3, run.ToString());
        lines[0].Should().StartWith("FAIL policy-tests.json:10 \"alice deletes files\": expected allow, got deny (");
        lines[1].Should().StartWith("FAIL policy-tests.json:11 \"bob reads via writer\": expected rule writer[0], got reader[0] (");
        lines[2].Should().Be("6 passed, 2 failed");
    }

    [Fact]
    public async Task Test_AllPass_DefaultFileBesideTheConfig_ExitsZero()
    {
        var (config, snapshot) = await PrepareAsync();
        _directory.WriteFile("policy-tests.json", """
            { "tests": [ { "subject": "bob", "server": "files", "tool": "write_file", "expect": "allow" } ] }
            """);

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "test", "--config", config, "--tools-snapshot", snapshot]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Trim().Should().Be("1 passed, 0 failed");
    }

    [Fact]
    public async Task Test_JUnit_ParsesAsOneSuitePerFileWithAFailurePerFailingCase()
    {
        var (config, snapshot) = await PrepareAsync();
        var fixtures = _directory.WriteFile("policy-tests.json", Fixtures);

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "test", fixtures, "--config", config, "--tools-snapshot", snapshot, "--format", "junit"]);

        run.ExitCode.Should().Be(1, run.ToString());
        var xml = XDocument.Parse(run.Output);
        var root = xml.Root!;
        root.Name.LocalName.Should().Be("testsuites");
        root.Attribute("tests")!.Value.Should().Be("8");
        root.Attribute("failures")!.Value.Should().Be("2");
        var suite = root.Elements("testsuite").Should().ContainSingle().Subject;
        suite.Attribute("name")!.Value.Should().Be("policy-tests.json");
        var cases = suite.Elements("testcase").ToList();
        cases.Should().HaveCount(8);
        cases.Where(c => c.Element("failure") is not null).Select(c => c.Attribute("name")!.Value)
            .Should().Equal("alice deletes files", "bob reads via writer");
        cases.Single(c => c.Attribute("name")!.Value == "alice deletes files").Element("failure")!.Attribute("message")!.Value
            .Should().Be("expected allow, got deny");
    }

    [Fact]
    public async Task Test_Json_ReportsEveryCaseWithWhatItGot()
    {
        var (config, snapshot) = await PrepareAsync();
        var fixtures = _directory.WriteFile("policy-tests.json", Fixtures);

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "test", fixtures, "--config", config, "--tools-snapshot", snapshot, "--format", "json"]);

        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("passed").GetInt32().Should().Be(6);
        json.RootElement.GetProperty("failed").GetInt32().Should().Be(2);
        var unknown = json.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "unlisted tools are unknown");
        unknown.GetProperty("classification").GetString().Should().Be("unknown");
        unknown.GetProperty("decision").GetString().Should().Be("deny");
    }

    [Theory]
    [InlineData("""{ "tests": [ { "subject": "bob", "server": "files", "tool": "read_file", "expcet": "allow" } ] }""", "policy-tests.json:1:74: $.tests[0].expcet: unknown key \"expcet\". Fix: did you mean \"expect\"?")]
    [InlineData("""{ "tests": [ { "subject": "bob", "server": "filez", "tool": "read_file", "expect": "allow" } ] }""", "server 'filez' is not in")]
    [InlineData("""{ "tests": [ { "roles": ["raeder"], "server": "files", "tool": "read_file", "expect": "deny" } ] }""", "role 'raeder' is not defined")]
    public async Task Test_FixtureMistake_ExitsTwoNamingWhereAndTheFix(string fixtures, string expected)
    {
        var (config, snapshot) = await PrepareAsync();
        var file = _directory.WriteFile("policy-tests.json", fixtures);

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "test", file, "--config", config, "--tools-snapshot", snapshot]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain(expected);
    }

    private async Task<(string Config, string Snapshot)> PrepareAsync()
    {
        var config = _directory.WriteFile("servers.json", upstreams.StandardConfig());
        var snapshot = Path.Combine(_directory.Path, "tools.snapshot.json");
        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "snapshot", "--config", config, "--server", "files", "--out", snapshot]);
        run.ExitCode.Should().Be(0, run.ToString());
        return (config, snapshot);
    }
}
