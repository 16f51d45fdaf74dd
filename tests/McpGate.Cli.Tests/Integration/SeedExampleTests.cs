using System.Text.Json;
using McpGate.SampleServer;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary>
/// The README's seed examples against servers.example.json at the repository root, with the bundled sample servers
/// started in-process. The example's fixed ports (127.0.0.1:3101–3104) are moved to free ones so parallel test runs
/// cannot collide; the policy is the file's own.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class SeedExampleTests : IAsyncLifetime, IDisposable
{
    private const int ExamplePortBase = 3100;

    private readonly TempDirectory _directory = new();
    private SampleUpstreams? _samples;
    private string _configPath = null!;

    public async Task InitializeAsync()
    {
        var example = await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "servers.example.json"));
        _samples = await StartSamplesOnFreePortsAsync();
        var portBase = _samples.Servers[0].McpUrl.Port - 1;
        for (var offset = 1; offset <= _samples.Servers.Count; offset++)
        {
            example = example.Replace($"127.0.0.1:{ExamplePortBase + offset}", $"127.0.0.1:{portBase + offset}", StringComparison.Ordinal);
        }

        _configPath = _directory.WriteFile("servers.json", example);
    }

    public async Task DisposeAsync()
    {
        if (_samples is not null)
        {
            await _samples.DisposeAsync();
        }
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Example_AliceQueriesPrometheus_IsAllowedViaDev()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "grafana", "--tool", "query_prometheus");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().StartWith("ALLOW  alice → grafana/query_prometheus  via dev[0]");
    }

    [Fact]
    public async Task Example_BobExecutesSql_IsDeniedWithExitOne()
    {
        var run = await CheckAsync("--subject", "bob", "--server", "databricks", "--tool", "execute_sql", "--format", "json");

        run.ExitCode.Should().Be(1, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("decision").GetString().Should().Be("deny");
        json.RootElement.GetProperty("tool_known").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("access_kind").GetString().Should().Be("write");
    }

    private Task<McpRun> CheckAsync(params string[] args) =>
        McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", _configPath, .. args]);

    private static async Task<SampleUpstreams> StartSamplesOnFreePortsAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            // A port that was just free, used as the base: its next four neighbours are very likely free too.
            var portBase = UnusedLoopback.Port();
            if (portBase > 65_000)
            {
                continue;
            }

            try
            {
                return await SampleUpstreams.StartAsync(portBase);
            }
            catch (InvalidOperationException) when (attempt < 10)
            {
                // One of the four was taken; try another base.
            }
        }
    }
}
