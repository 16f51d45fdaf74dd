using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace McpGate.Gateway.Hosting;

/// <summary>
/// <c>gateway.redis</c> on <c>/readyz</c>: a PING on the replica's shared connection. Redis away only degrades the
/// gate (its registration's failure status): calls go on with per-replica rate-limit buckets and session ids keep
/// opening with the cached key ring, and since every replica shares the one Redis, reporting unhealthy would take all
/// of them out of rotation at once.
/// </summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "redis";

    public const string DegradedDescription =
        "Redis (gateway.redis) cannot be reached: rate limits are counted per replica and session ids open with the cached key ring until it answers again";

    private static readonly TimeSpan s_pingTimeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // A load balancer's probe waits a few seconds at most; the connection's own timeout is longer.
            await redis.GetDatabase().PingAsync().WaitAsync(s_pingTimeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, DegradedDescription, e);
        }
    }
}
