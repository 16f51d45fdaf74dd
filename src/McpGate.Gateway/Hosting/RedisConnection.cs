using McpGate.Configuration;
using StackExchange.Redis;

namespace McpGate.Gateway.Hosting;

/// <summary>The one connection to <c>gateway.redis</c> a replica shares between its session key ring and its rate limits.</summary>
internal static class RedisConnection
{
    private const string JsonPath = "$.gateway.redis";
    private const string Fix = "write HOST:PORT[,option=value...], e.g. \"127.0.0.1:6379\" or \"redis:6379,password=${REDIS_PASSWORD},ssl=true\" (StackExchange.Redis' configuration options)";

    /// <summary>
    /// Parses <c>gateway.redis</c> when the gate is built, so a mistake is a config error naming the file, the JSON path
    /// and the fix, rather than a crash when the connection is first used. The loader only knows it is a string.
    /// </summary>
    public static ConfigurationOptions Parse(string connectionString, string sourcePath)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            // StackExchange.Redis names the keyword, never the password.
            throw Invalid(sourcePath, $"not a StackExchange.Redis connection string: {e.Message.TrimEnd('.')}");
        }

        if (options.EndPoints.Count == 0)
        {
            throw Invalid(sourcePath, "the connection string names no HOST:PORT to connect to");
        }

        // A replica that starts while Redis is away keeps retrying instead of crashing in a loop; what needs Redis
        // fails until it is back (and /readyz says so).
        options.AbortOnConnectFail = false;

        // While Redis is away a command fails at once instead of waiting in the client's backlog for a reconnection
        // (5 s by default): a rate-limited call falls back to the replica's own buckets without that wait.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "mcpgate";
        return options;
    }

    public static IConnectionMultiplexer Connect(ConfigurationOptions options) => ConnectionMultiplexer.Connect(options);

    private static ConfigLoadException Invalid(string sourcePath, string message) =>
        new(sourcePath, [new ConfigError(JsonPath, message, Fix)]);
}
