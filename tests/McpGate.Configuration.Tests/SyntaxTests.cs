using McpGate.Configuration;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

public sealed class SyntaxTests
{
    [Fact]
    public void CommentsAndTrailingCommas_AreAccepted()
    {
        var config = Policies.Parse("""
            // leading comment
            {
              /* block comment */
              "mcpServers": {
                "github": { "url": "http://127.0.0.1:3101/mcp", }, // trailing comma
              },
            }
            """);

        config.Servers.Should().ContainKey("github");
    }

    [Fact]
    public void SyntaxError_ReportsFileLineAndColumn()
    {
        var error = Policies.Fails("{\n  \"mcpServers\": {\n    \"github\": { \"url\" \"http://x\" }\n  }\n}");

        error.Errors.Should().ContainSingle();
        error.Errors[0].Line.Should().Be(3);
        error.Errors[0].Column.Should().BeGreaterThan(1);
        error.Message.Should().Contain(Policies.SourcePath).And.Contain(":3:").And.Contain("invalid JSON").And.Contain("Fix:");
    }

    [Fact]
    public void SemanticErrors_CarryTheLineOfTheOffendingKey()
    {
        var error = Policies.Fails("{\n  \"mcpServers\": {},\n  \"gateway\": {\n    \"lisen\": \"127.0.0.1:1\"\n  }\n}");

        error.Errors.Should().ContainSingle().Which.Should().Be(new ConfigError(
            "$.gateway.lisen",
            "unknown key \"lisen\" (an unknown key would otherwise be ignored and could widen access)",
            "did you mean \"listen\"?",
            4,
            5));
    }

    [Fact]
    public void DuplicateKey_IsAnErrorAtTheSecondOccurrence()
    {
        var error = Policies.Fails("{\n  \"mcpServers\": {\n    \"a\": { \"url\": \"http://x/\" },\n    \"a\": { \"url\": \"http://y/\" }\n  }\n}");

        var duplicate = error.Errors.Should().ContainSingle().Which;
        duplicate.JsonPath.Should().Be("$.mcpServers.a");
        duplicate.Message.Should().Contain("duplicate key \"a\"");
        duplicate.Line.Should().Be(4);
    }

    [Fact]
    public void DuplicateKeyInsideAGrant_IsAnError()
    {
        var error = Policies.Fails($$"""{ {{Policies.Servers}}, "serverAuth": { "acl": { "roles": { "dev": [ { "server": "*", "access": "read", "access": "*" } ] } } } }""");

        error.Errors.Should().ContainSingle().Which.JsonPath.Should().Be("$.serverAuth.acl.roles.dev[0].access");
    }

    [Fact]
    public void MultipleErrors_AreReportedTogether()
    {
        var error = Policies.Fails("""
            {
              "mcpServers": { "bad alias": { "url": "http://x/mcp" }, "both": { "url": "http://x/mcp", "command": "x" } },
              "serverAuth": { "acl": { "roles": { "dev": [ { "server": "*", "acess": "read" } ] } } },
              "gateway": { "denyErrorCode": -32001 }
            }
            """);

        error.Errors.Select(e => e.JsonPath).Should().BeEquivalentTo(
            "$.mcpServers['bad alias']",
            "$.mcpServers.both",
            "$.serverAuth.acl.roles.dev[0].acess",
            "$.serverAuth.acl.roles.dev[0]",
            "$.gateway.denyErrorCode");
        foreach (var item in error.Errors)
        {
            error.Message.Should().Contain(item.Format(Policies.SourcePath));
        }

        error.Message.Should().StartWith($"Cannot load configuration {Policies.SourcePath}: 5 errors");
    }

    [Fact]
    public void RootThatIsNotAnObject_IsAnError()
    {
        var error = Policies.Fails("[]");

        error.Errors.Should().ContainSingle().Which.JsonPath.Should().Be("$");
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "absent.json");

        var act = () => ConfigLoader.Load(path);

        var error = act.Should().Throw<ConfigLoadException>().Which;
        error.SourcePath.Should().Be(path);
        error.Message.Should().Contain(path).And.Contain("does not exist");
    }

    [Fact]
    public void Load_ReadsTheFileAndRecordsItsFullPath()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("servers.json", """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp" } } }""");

        var config = ConfigLoader.Load(path);

        config.SourcePath.Should().Be(path);
        config.Servers.Should().ContainKey("a");
    }
}
