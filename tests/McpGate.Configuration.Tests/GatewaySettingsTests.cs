using McpGate.Configuration;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

public sealed class GatewaySettingsTests
{
    [Fact]
    public void NoGatewaySection_UsesDefaults()
    {
        var gateway = Policies.Parse("""{ "mcpServers": {} }""").Gateway;

        gateway.Listen.ToString().Should().Be("127.0.0.1:8080");
        gateway.DenyErrorCode.Should().Be(-32003);
        gateway.DenyAs.Should().Be(DenyStyle.Error);
        gateway.Audit.Path.Should().Be("./audit/mcpgate-.jsonl");
        gateway.MaxRequestBytes.Should().Be(4 * 1024 * 1024);
    }

    [Fact]
    public void EveryGatewayKey_IsMapped()
    {
        var gateway = Policies.Parse("""
            {
              "mcpServers": {},
              "gateway": {
                "listen": "[::1]:0",
                "allowedOrigins": ["http://LOCALHOST:6274", "https://app.example:443"],
                "denyErrorCode": 403,
                "denyAs": "tool_error",
                "audit": { "path": "-", "retainedFileCount": 7 },
                "limits": { "maxRequestBytes": 1048576 },
                "timeouts": { "connectSeconds": 2.5, "activitySeconds": 600, "discoverySeconds": 4 }
              }
            }
            """).Gateway;

        gateway.Listen.ToString().Should().Be("[::1]:0");
        gateway.AllowedOrigins.Should().Equal("http://localhost:6274", "https://app.example");
        gateway.DenyErrorCode.Should().Be(403);
        gateway.DenyAs.Should().Be(DenyStyle.ToolError);
        gateway.Audit.Path.Should().Be("-");
        gateway.Audit.RetainedFileCount.Should().Be(7);
        gateway.MaxRequestBytes.Should().Be(1048576);
        gateway.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(2.5));
        gateway.ActivityTimeout.Should().Be(TimeSpan.FromMinutes(10));
        gateway.DiscoveryTimeout.Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void AuditSerilog_IsKeptAsSerilogsOwnConfiguration()
    {
        var audit = Policies.Parse("""
            { "mcpServers": {}, "gateway": { "audit": { "serilog": { "WriteTo": [ { "Name": "Console" } ] } } } }
            """).Gateway.Audit;

        audit.Serilog.Should().Be("""{"WriteTo":[{"Name":"Console"}]}""");
    }

    [Fact]
    public void AuditSerilog_StringValuesTakeEnvironmentVariables_LikeTheRestOfTheFile()
    {
        var audit = Policies.Parse(
            """
            { "mcpServers": {}, "gateway": { "audit": { "serilog": {
                "WriteTo": [ { "Name": "Seq", "Args": { "serverUrl": "${SEQ_URL:-http://127.0.0.1:5341}", "apiKey": "${SEQ_KEY}", "batchPostingLimit": 50 } } ] } } } }
            """,
            new Dictionary<string, string> { ["SEQ_KEY"] = "k\"1" }).Gateway.Audit;

        audit.Serilog.Should().Be("""{"WriteTo":[{"Name":"Seq","Args":{"serverUrl":"http://127.0.0.1:5341","apiKey":"k\u00221","batchPostingLimit":50}}]}""");
    }

    [Fact]
    public void AuditSerilog_AnUnsetVariable_IsAnErrorAtItsJsonPath()
    {
        var error = Policies.Fails("""
            { "mcpServers": {}, "gateway": { "audit": { "serilog": { "WriteTo": [ { "Name": "Seq", "Args": { "apiKey": "${SEQ_KEY}" } } ] } } } }
            """).Errors.Single();

        error.JsonPath.Should().Be("$.gateway.audit.serilog.WriteTo[0].Args.apiKey");
        error.Message.Should().Contain("SEQ_KEY");
    }

    [Theory]
    [InlineData(-32003)]
    [InlineData(-32010)]
    [InlineData(-31000)]
    [InlineData(1)]
    public void DenyErrorCode_OutsideMeaningfulCodes_IsAccepted(int code)
    {
        Policies.Parse($$"""{ "mcpServers": {}, "gateway": { "denyErrorCode": {{code}} } }""").Gateway.DenyErrorCode.Should().Be(code);
    }

    [Theory]
    [InlineData("localhost:8080", true)]
    [InlineData("0.0.0.0:80", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("::1:8080", false)]
    [InlineData(":8080", false)]
    [InlineData("host:", false)]
    [InlineData("host:-1", false)]
    [InlineData("host:65536", false)]
    [InlineData("gw.internal:8080", false)]
    public void Listen_MustBeHostAndPort(string listen, bool valid)
    {
        var act = () => Policies.Parse($$"""{ "mcpServers": {}, "gateway": { "listen": "{{listen}}" } }""");

        if (valid)
        {
            act.Should().NotThrow();
        }
        else
        {
            act.Should().Throw<ConfigLoadException>().Which.Errors.Single().JsonPath.Should().Be("$.gateway.listen");
        }
    }
}
