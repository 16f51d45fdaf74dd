using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary><c>gateway.redis</c> (docs/deploy.md): the connection string of the Redis the replicas share.</summary>
internal sealed class RedisSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    /// <summary>The connection string, or null when it is missing or unusable.</summary>
    public string? Read(JsonElement element, string path)
    {
        const string Fix = "give a StackExchange.Redis connection string, e.g. \"127.0.0.1:6379\" or \"${REDIS}\"";
        var redis = String(element, path, Fix);
        if (redis is not null && string.IsNullOrWhiteSpace(redis))
        {
            // A variable set to blanks is still no Redis: the gate would retry an endpoint-less connection forever.
            Error(path, "the connection string is blank", Fix);
            return null;
        }

        return redis;
    }
}
