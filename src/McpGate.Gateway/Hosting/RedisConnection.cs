using StackExchange.Redis;

namespace McpGate.Gateway.Hosting;

/// <summary>The one connection to <c>gateway.redis</c> a replica shares between its session key ring and its rate limits.</summary>
internal static class RedisConnection
{
    public static IConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);

        // A replica that starts while Redis is away keeps retrying instead of crashing in a loop; what needs Redis
        // fails until it is back (and /readyz says so).
        options.AbortOnConnectFail = false;
        options.ClientName ??= "mcpgate";
        return ConnectionMultiplexer.Connect(options);
    }
}
