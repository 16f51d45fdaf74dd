using System.Globalization;
using System.IO.Hashing;
using System.Text;
using McpGate.Policy.RateLimits;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace McpGate.Gateway.RateLimiting;

/// <summary>
/// <c>gateway.rateLimits</c> shared by every replica through <c>gateway.redis</c> (docs/deploy.md, "Rate limits
/// across replicas"): one counter per rule, subject and window, in Redis. The check and the count are one Lua script,
/// which Redis runs atomically: no rule is counted unless every rule has room, as in <see cref="GateRateLimiter"/>.
/// Windows are fixed (the rule's <c>per</c>, aligned to the Unix epoch), so a counter expires with its window.
/// </summary>
internal sealed class RedisRateLimits(IConnectionMultiplexer redis, TimeProvider timeProvider, ILogger<RedisRateLimits> logger)
{
    // KEYS: one counter per rule that covers the call. ARGV: the limit and the counter's lifetime (ms) of each.
    // Returns 0 when the call may go (every counter then counts it), else the 1-based index of the first full rule.
    private const string Script = """
        for i = 1, #KEYS do
          local count = tonumber(redis.call('GET', KEYS[i]) or '0')
          if count >= tonumber(ARGV[2 * i - 1]) then
            return i
          end
        end
        for i = 1, #KEYS do
          if redis.call('INCR', KEYS[i]) == 1 then
            redis.call('PEXPIRE', KEYS[i], ARGV[2 * i])
          end
        end
        return 0
        """;

    private int _failing;

    /// <summary>Null when the call may go; the refusal otherwise. Throws when Redis cannot be asked.</summary>
    public async ValueTask<RateLimitRefusal?> TryAcquireAsync(IReadOnlyList<RateLimitRule> rules, string subject)
    {
        var now = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var keys = new RedisKey[rules.Count];
        var values = new RedisValue[rules.Count * 2];
        for (var i = 0; i < rules.Count; i++)
        {
            var per = (long)rules[i].Per.TotalMilliseconds;
            keys[i] = KeyFor(rules[i], subject, now / per);
            values[2 * i] = rules[i].Limit;

            // A second past the window, so a replica whose clock runs a little behind still finds the counter.
            values[(2 * i) + 1] = per - (now % per) + 1000;
        }

        var full = (long)await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, values);
        if (Interlocked.Exchange(ref _failing, 0) == 1)
        {
            logger.SharedLimitsBack();
        }

        if (full == 0)
        {
            return null;
        }

        var rule = rules[(int)full - 1];
        var perMs = (long)rule.Per.TotalMilliseconds;
        var retryAfter = (int)Math.Clamp(Math.Ceiling((perMs - (now % perMs)) / 1000.0), 1, rule.Per.TotalSeconds);
        return new RateLimitRefusal(rule, retryAfter);
    }

    /// <summary>Logs the first failure of an outage only: a gate under load would otherwise log every call.</summary>
    public void ReportFailure(Exception failure)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            logger.SharedLimitsUnavailable(failure.Message);
        }
    }

    // {subject} is a Redis Cluster hash tag: the counters of one call share a slot, as a multi-key script needs. The
    // rule's key is hashed: a changed rule starts new counters, as a reload does with local buckets.
    private static string KeyFor(RateLimitRule rule, string subject, long window) =>
        string.Create(CultureInfo.InvariantCulture, $"mcpgate:rl:{{{subject}}}:{XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(rule.Key)):x16}:{window}");
}

internal static partial class RedisRateLimitsLog
{
    [LoggerMessage(400, LogLevel.Warning, "Shared rate limits unavailable (gateway.redis): each replica counts on its own until Redis answers again. {Cause}", EventName = "SharedLimitsUnavailable")]
    public static partial void SharedLimitsUnavailable(this ILogger logger, string cause);

    [LoggerMessage(401, LogLevel.Information, "Shared rate limits are back (gateway.redis)", EventName = "SharedLimitsBack")]
    public static partial void SharedLimitsBack(this ILogger logger);
}
