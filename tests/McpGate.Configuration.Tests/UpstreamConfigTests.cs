using McpGate.Testing;

namespace McpGate.Configuration.Tests;

public sealed class UpstreamConfigTests
{
    [Fact]
    public void UrlUpstream_KeepsUrlAndHeaders()
    {
        var config = Policies.Parse("""{ "mcpServers": { "gh.prod-1_x": { "url": "https://example.test/mcp", "headers": { "X-Api-Key": "k" } } } }""");

        var upstream = config.Servers["gh.prod-1_x"];
        upstream.Alias.Should().Be("gh.prod-1_x");
        upstream.Url.Should().Be(new Uri("https://example.test/mcp"));
        upstream.Command.Should().BeNull();
        upstream.Headers["x-api-key"].Should().Be("k", "header names are case-insensitive");
    }

    [Fact]
    public void CommandUpstream_KeepsCommandArgsAndEnv()
    {
        var config = Policies.Parse("""{ "mcpServers": { "notes": { "command": "notes-server", "args": ["--stdio", ""], "env": { "A": "1" } } } }""");

        var upstream = config.Servers["notes"];
        upstream.Url.Should().BeNull();
        upstream.Command.Should().Be("notes-server");
        upstream.Args.Should().Equal("--stdio", string.Empty);
        upstream.Env.Should().ContainKey("A").WhoseValue.Should().Be("1");
    }

    [Fact]
    public void Servers_KeepFileOrderAndCase()
    {
        var config = Policies.Parse("""{ "mcpServers": { "b": { "url": "http://x/" }, "A": { "url": "http://x/" }, "a": { "url": "http://x/" } } }""");

        config.Servers.Keys.Should().Equal("b", "A", "a");
    }

    [Fact]
    public void ToolAcl_BecomesClassificationOverrides()
    {
        var config = Policies.Parse("""{ "mcpServers": { "db": { "url": "http://x/", "tool_acl": { "read": ["list_*", "execute_sql_read_only"], "write": ["execute_sql"] } } } }""");

        var overrides = config.Servers["db"].ToolAcl;
        overrides.Read.IsMatch("list_catalogs").Should().BeTrue();
        overrides.Read.IsMatch("execute_sql_read_only").Should().BeTrue();
        overrides.Write.IsMatch("execute_sql").Should().BeTrue();
        overrides.Write.IsMatch("execute_sql_read_only").Should().BeFalse();
    }

    [Fact]
    public void NoToolAcl_IsTheEmptyOverride()
    {
        Policies.Parse("""{ "mcpServers": { "db": { "url": "http://x/" } } }""").Servers["db"].ToolAcl.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void RustProxyIdleTimeoutKeys_AreAcceptedAndIgnored()
    {
        var config = Policies.Parse("""{ "mcpServers": { "db": { "command": "x", "idle_timeout": "never", "min_idle_timeout": "1m", "max_idle_timeout": "5m" } }, "audit": { "enabled": false } }""");

        config.Servers.Should().ContainKey("db");
    }
}
