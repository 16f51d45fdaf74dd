using McpGate.Configuration;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary>acl.md §1: --config, $MCP_CONFIG_PATH, ./servers.json, ~/.config/mcp/servers.json — first found wins.</summary>
public sealed class ConfigLocatorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Cwd => Path.Combine(_directory.Path, "cwd");

    private string Home => Path.Combine(_directory.Path, "home");

    public ConfigLocatorTests()
    {
        Directory.CreateDirectory(Cwd);
        Directory.CreateDirectory(Home);
    }

    [Fact]
    public void ExplicitPath_WinsOverEverythingElse()
    {
        var explicitFile = _directory.WriteFile("explicit.json", "{}");
        var fromEnv = _directory.WriteFile("env.json", "{}");
        _directory.WriteFile("cwd/servers.json", "{}");

        Resolve(explicitFile, fromEnv).Should().Be(explicitFile);
    }

    [Fact]
    public void ExplicitPath_IsResolvedAgainstTheCurrentDirectory()
    {
        var file = _directory.WriteFile("cwd/conf/mine.json", "{}");

        Resolve("conf/mine.json", null).Should().Be(file);
    }

    [Fact]
    public void MissingExplicitPath_IsAnErrorEvenWhenOtherFilesExist()
    {
        _directory.WriteFile("cwd/servers.json", "{}");

        var act = () => Resolve("missing.json", null);

        var error = act.Should().Throw<ConfigLoadException>().Which;
        error.SourcePath.Should().Be(Path.Combine(Cwd, "missing.json"));
        error.Message.Should().Contain("--config").And.Contain("does not exist").And.Contain("Fix:");
    }

    [Fact]
    public void EnvironmentVariable_ComesBeforeTheWorkingDirectory()
    {
        var fromEnv = _directory.WriteFile("env.json", "{}");
        _directory.WriteFile("cwd/servers.json", "{}");

        Resolve(null, fromEnv).Should().Be(fromEnv);
    }

    [Fact]
    public void MissingEnvironmentVariableFile_IsAnError()
    {
        var act = () => Resolve(null, Path.Combine(_directory.Path, "gone.json"));

        act.Should().Throw<ConfigLoadException>().Which.Message.Should().Contain("$MCP_CONFIG_PATH");
    }

    [Fact]
    public void WorkingDirectoryFile_ComesBeforeTheUserFile()
    {
        var local = _directory.WriteFile("cwd/servers.json", "{}");
        _directory.WriteFile("home/.config/mcp/servers.json", "{}");

        Resolve(null, null).Should().Be(local);
    }

    [Fact]
    public void UserFile_IsTheLastResort()
    {
        var user = _directory.WriteFile("home/.config/mcp/servers.json", "{}");

        Resolve(null, null).Should().Be(user);
    }

    [Fact]
    public void TildeInEnvironmentPath_IsTheHomeDirectory()
    {
        var file = _directory.WriteFile("home/mcp.json", "{}");

        Resolve(null, "~/mcp.json").Should().Be(file);
    }

    [Fact]
    public void NothingFound_SaysWhereItLooked()
    {
        var act = () => Resolve(null, null);

        var error = act.Should().Throw<ConfigLoadException>().Which;
        error.Message.Should()
            .Contain("no configuration file found")
            .And.Contain("--config (not given)")
            .And.Contain("$MCP_CONFIG_PATH (not set)")
            .And.Contain(Path.Combine(Cwd, "servers.json"))
            .And.Contain(Path.Combine(Home, ".config", "mcp", "servers.json"))
            .And.Contain("--config PATH");
    }

    public void Dispose() => _directory.Dispose();

    private string Resolve(string? explicitPath, string? environmentPath) =>
        ConfigLocator.Resolve(
            explicitPath,
            name => name switch
            {
                "MCP_CONFIG_PATH" => environmentPath,
                "HOME" => Home,
                _ => null,
            },
            Cwd);
}
