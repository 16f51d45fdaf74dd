using System.Diagnostics;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary>
/// <c>dotnet pack</c> of src/McpGate.Cli is a .NET tool: installed from a local feed into a tool path, its
/// <c>mcp</c> command answers <c>--version</c> and decides an <c>acl check</c> like the built binary.
/// </summary>
/// <remarks>
/// It packs what the test build already compiled (<c>--no-build</c>, same configuration) and installs with NuGet's
/// cache and sources confined to a temp directory, so it needs no network and never installs a stale copy of the
/// same version from the user's cache.
/// </remarks>
[Trait("Category", "Process")]
public sealed class ToolPackageTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task PackedTool_InstalledFromALocalFeed_RunsVersionAndAclCheck()
    {
        var project = Path.Combine(RepositoryFiles.Root, "src", "McpGate.Cli", "McpGate.Cli.csproj");
        var configuration = new DirectoryInfo(Path.GetDirectoryName(McpProcess.DllPath)!).Parent!.Name;
        var version = FileVersionInfo.GetVersionInfo(McpProcess.DllPath).ProductVersion!.Split('+')[0];
        var feed = Path.Combine(_directory.Path, "feed");
        var tools = Path.Combine(_directory.Path, "tools");
        var isolated = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(_directory.Path, "packages"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        var nugetConfig = _directory.WriteFile("nuget.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /></packageSources></configuration>
            """);

        var pack = await RunAsync("dotnet", ["pack", project, "--no-build", "-c", configuration, "-o", feed], isolated);
        pack.ExitCode.Should().Be(0, pack.ToString());
        File.Exists(Path.Combine(feed, $"McpGate.Cli.{version}.nupkg")).Should().BeTrue(pack.ToString());

        var install = await RunAsync(
            "dotnet",
            ["tool", "install", "--tool-path", tools, "--configfile", nugetConfig, "--add-source", feed, "McpGate.Cli", "--version", version],
            isolated);
        install.ExitCode.Should().Be(0, install.ToString());

        var mcp = Path.Combine(tools, "mcp");
        var versionRun = await RunAsync(mcp, ["--version"], isolated);
        versionRun.ExitCode.Should().Be(0, versionRun.ToString());
        versionRun.Output.Should().StartWith(version);

        var check = await RunAsync(
            mcp,
            ["acl", "check", "--config", Path.Combine(RepositoryFiles.Root, "servers.example.json"), "--subject", "bob", "--server", "databricks", "--tool", "execute_sql", "--offline"],
            isolated);
        check.ExitCode.Should().Be(1, check.ToString());
        check.Output.Should().StartWith("DENY   bob → databricks/execute_sql");
    }

    private Task<McpRun> RunAsync(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo(fileName, args) { WorkingDirectory = _directory.Path };
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        // The installed tool's launcher looks for the runtime in DOTNET_ROOT: point it at the one running this test.
        if (Path.GetDirectoryName(Environment.ProcessPath) is { } host && File.Exists(Path.Combine(host, "dotnet")))
        {
            startInfo.Environment["DOTNET_ROOT"] = host;
        }

        return ProcessRunner.RunAsync(startInfo, s_timeout);
    }
}
