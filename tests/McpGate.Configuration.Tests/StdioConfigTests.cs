using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary>A <c>command</c> upstream's <c>cwd</c> and <c>stdio</c> block (docs/stdio.md, "Configuration").</summary>
public sealed class StdioConfigTests
{
    private static string Server(string members) => $$"""{ "mcpServers": { "notes": { "command": "notes-server", {{members}} } } }""";

    [Fact]
    public void StdioBlock_IsRead()
    {
        var config = Policies.Parse(Server(""" "cwd": "/srv/notes", "stdio": { "sharing": "per-session", "idleTimeout": "5m", "maxProcesses": 4, "startTimeout": "10s" } """));

        var upstream = config.Servers["notes"];
        upstream.Cwd.Should().Be("/srv/notes");
        upstream.Stdio.Should().BeEquivalentTo(new StdioSettings
        {
            Sharing = StdioSharing.PerSession,
            IdleTimeout = TimeSpan.FromMinutes(5),
            MaxProcesses = 4,
            StartTimeout = TimeSpan.FromSeconds(10),
        });
    }

    [Fact]
    public void CommandUpstream_WithoutStdioBlock_IsSharedWithDefaults()
    {
        var config = Policies.Parse("""{ "mcpServers": { "notes": { "command": "notes-server" }, "web": { "url": "http://127.0.0.1:1/mcp" } } }""");

        config.Servers["notes"].Stdio.Should().BeEquivalentTo(StdioSettings.Default);
        config.Servers["notes"].Stdio!.Sharing.Should().Be(StdioSharing.Shared);
        config.Servers["web"].Stdio.Should().BeNull();
    }

    [Fact]
    public void Env_IsSubstitutedFromTheGatesEnvironment()
    {
        var config = Policies.Parse(Server(""" "env": { "TOKEN": "${NOTES_TOKEN}", "MODE": "${NOTES_MODE:-ro}" } """), new Dictionary<string, string> { ["NOTES_TOKEN"] = "t0k" });

        config.Servers["notes"].Env.Should().Equal(new Dictionary<string, string> { ["TOKEN"] = "t0k", ["MODE"] = "ro" });
    }

    public static TheoryData<string, string, string, string, string> Cases() => new()
    {
        { "sharing typo", Server(""" "stdio": { "sharing": "per_session" } """), "$.mcpServers.notes.stdio.sharing", "is not a sharing mode", "\"per-session\"" },
        { "duration without unit", Server(""" "stdio": { "idleTimeout": "600" } """), "$.mcpServers.notes.stdio.idleTimeout", "is not a duration", "\"10m\"" },
        { "start timeout as number", Server(""" "stdio": { "startTimeout": 30 } """), "$.mcpServers.notes.stdio.startTimeout", "expected a string", "\"30s\"" },
        { "zero processes", Server(""" "stdio": { "maxProcesses": 0 } """), "$.mcpServers.notes.stdio.maxProcesses", "out of range", "from 1 to 4096" },
        { "unknown stdio key", Server(""" "stdio": { "idle_timeout": "5m" } """), "$.mcpServers.notes.stdio.idle_timeout", "unknown key", "idleTimeout" },
        { "stdio on a url upstream", """{ "mcpServers": { "web": { "url": "http://127.0.0.1:1/mcp", "stdio": {} } } }""", "$.mcpServers.web.stdio", "applies only to a \"command\" upstream", "remove \"stdio\"" },
        { "cwd on a url upstream", """{ "mcpServers": { "web": { "url": "http://127.0.0.1:1/mcp", "cwd": "/tmp" } } }""", "$.mcpServers.web.cwd", "applies only to a \"command\" upstream", "remove \"cwd\"" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void InvalidStdioConfig_IsRefusedWithPathMessageAndFix(string description, string json, string path, string message, string fix)
    {
        var exception = Policies.Fails(json);

        var error = exception.Errors.Should().ContainSingle(description).Which;
        error.JsonPath.Should().Be(path, description);
        error.Message.Should().Contain(message, description);
        error.Fix.Should().Contain(fix, description);
    }
}
