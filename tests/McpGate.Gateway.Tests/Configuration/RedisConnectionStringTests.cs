using McpGate.Gateway.Hosting;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Configuration;

/// <summary>
/// <c>gateway.redis</c> is a StackExchange.Redis connection string, which only the gate (it references the client) can
/// read: a mistake in it stops <c>mcp serve</c> at start with the file, the JSON path and the fix, like any config
/// mistake, rather than a crash with a stack trace when the connection is first used.
/// </summary>
public sealed class RedisConnectionStringTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("127.0.0.1:6379,sll=true", "Keyword 'sll' is not supported")]
    [InlineData("127.0.0.1:6379,connectTimeout=soon", "connectTimeout")]
    [InlineData(",password=hunter2", "names no HOST:PORT")]
    public async Task AConnectionStringStackExchangeRedisRefuses_StopsTheStart_NamingFilePathAndFix(string connectionString, string message)
    {
        var config = _directory.WriteFile("servers.json", $$"""{ "mcpServers": {}, "gateway": { "redis": "{{connectionString}}" } }""");

        var start = await GatewayHost.StartAsync(new GatewayRunOptions { ConfigPath = config, Listen = "127.0.0.1:0", AuditLogPath = _directory.Combine("audit") + "/" }, CancellationToken.None);

        start.Status.Should().Be(GatewayStartStatus.InvalidConfig, start.Error);
        start.Error.Should().Contain(config).And.Contain("$.gateway.redis").And.Contain(message).And.Contain("Fix: write HOST:PORT");
        start.Error.Should().NotContain("hunter2");
    }
}
