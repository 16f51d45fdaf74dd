using McpGate.Configuration;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace McpGate.Gateway.Sessions;

/// <summary>Where the key ring that seals session ids lives (docs/deploy.md, "Sessions across replicas").</summary>
internal static class SessionSealingServiceCollectionExtensions
{
    /// <summary>The Redis key holding the key ring when <c>gateway.redis</c> is set and no directory is named.</summary>
    public const string RedisKeyRingKey = "mcpgate:session-key-ring";

    public static IServiceCollection AddSessionSealing(this IServiceCollection services, GatewaySettings settings)
    {
        // Before AddDataProtection: hosted services start in registration order, and Data Protection's own would
        // otherwise load (and, when empty, fill) the key ring first, without the lock.
        services.AddHostedService<SessionKeyRingStartup>();

        // One application name for every replica: Data Protection otherwise isolates apps by their content root, and
        // two replicas installed at different paths could not open each other's ids.
        var dataProtection = services.AddDataProtection().SetApplicationName("McpGate");
        if (settings.Sessions.KeyRing is { } directory)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(directory)));
            services.AddSingleton<KeyRingLock>(new KeyRingLock.InDirectory(Path.GetFullPath(directory)));
        }
        else if (settings.Redis is not null)
        {
            // What PersistKeysToStackExchangeRedis does, on the one connection the gate shares with its rate limits.
            services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((options, redis) =>
                options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), RedisKeyRingKey));
            services.AddSingleton<KeyRingLock>(sp => new KeyRingLock.InRedis(sp.GetRequiredService<IConnectionMultiplexer>(), RedisKeyRingKey));
        }
        else
        {
            // Keys of this process only: a restart, or another replica, cannot open the ids it sealed (one replica,
            // and clients re-initialize after a restart). Never the per-user directory default, which a read-only
            // container cannot write and two replicas do not share.
            dataProtection.UseEphemeralDataProtectionProvider();
            services.AddSingleton<KeyRingLock>(new KeyRingLock.None());
        }

        services.AddSingleton<SessionSealer>();
        services.AddHealthChecks().AddCheck<SessionKeyRingHealthCheck>("sessions", tags: [Hosting.GatewayHealthChecks.ReadinessTag]);
        return services;
    }
}
