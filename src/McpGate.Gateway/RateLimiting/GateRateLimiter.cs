using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using McpGate.Policy.Evaluation;
using McpGate.Policy.RateLimits;

namespace McpGate.Gateway.RateLimiting;

/// <summary>
/// <c>gateway.rateLimits</c> at run time: one <see cref="TokenBucketRateLimiter"/> per rule and subject (it counts,
/// atomically), refilled in full every window by a timer of the <see cref="TimeProvider"/>, so tests drive it. The
/// refill is "a new, full bucket" rather than <see cref="ReplenishingRateLimiter.TryReplenish"/> or a
/// <see cref="PartitionedRateLimiter"/>: both measure elapsed time with <c>Stopwatch</c>, which no
/// <see cref="TimeProvider"/> drives. A reload keeps the buckets of unchanged rules and drops the others. With
/// <c>gateway.redis</c> the counting is <see cref="RedisRateLimits"/>', shared by the replicas; these buckets then only
/// stand in while Redis cannot be reached.
/// </summary>
internal sealed class GateRateLimiter(TimeProvider timeProvider, RedisRateLimits? shared = null) : IDisposable
{
    private readonly Lock _swap = new();
    private RuleSet _current = RuleSet.Empty;

    /// <summary>
    /// <see cref="TryAcquire"/>, counted in Redis when <c>gateway.redis</c> is set (and locally while Redis is away).
    /// Completes synchronously without Redis.
    /// </summary>
    public ValueTask<RateLimitRefusal?> TryAcquireAsync(IReadOnlyList<RateLimitRule> rules, Identity identity, PolicyEvaluator evaluator, in Decision decision)
    {
        if (shared is null || rules.Count == 0 || decision.TargetKind != TargetKind.Tool)
        {
            return new(TryAcquire(rules, identity, evaluator, decision));
        }

        List<RateLimitRule>? covering = null;
        IReadOnlyList<string>? roles = null;
        foreach (var rule in rules)
        {
            if (rule.Roles.Count > 0)
            {
                roles ??= evaluator.EffectiveRoles(identity);
            }

            if (rule.AppliesTo(identity.Subject, roles ?? [], decision.Server, decision.Target, decision.AccessKind))
            {
                (covering ??= []).Add(rule);
            }
        }

        return covering is null ? new((RateLimitRefusal?)null) : AcquireSharedAsync(covering, rules, identity, evaluator, decision);
    }

    private async ValueTask<RateLimitRefusal?> AcquireSharedAsync(List<RateLimitRule> covering, IReadOnlyList<RateLimitRule> rules, Identity identity, PolicyEvaluator evaluator, Decision decision)
    {
        try
        {
            return await shared!.TryAcquireAsync(covering, identity.Subject ?? string.Empty);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Limits are a brake, not a gate: a Redis outage must not stop every call, so each replica counts alone.
            shared!.ReportFailure(e);
            return TryAcquire(rules, identity, evaluator, decision);
        }
    }

    /// <summary>
    /// Takes one token from every rule that covers this allowed tool call, or none when one of them is empty: the
    /// refusal then names that rule. Null when the call may go.
    /// </summary>
    public RateLimitRefusal? TryAcquire(IReadOnlyList<RateLimitRule> rules, Identity identity, PolicyEvaluator evaluator, in Decision decision)
    {
        if (decision.TargetKind != TargetKind.Tool)
        {
            return null;
        }

        // Even an empty list is swapped in (one reference comparison per call): a reload that removes every rule
        // also stops the removed rules' timers.
        var set = SetFor(rules);
        if (set.Buckets.Count == 0)
        {
            return null;
        }

        var subject = identity.Subject ?? string.Empty;
        IReadOnlyList<string>? roles = null;
        List<(RateLimitRule Rule, RuleBuckets Buckets, TokenBucketRateLimiter Bucket)>? matched = null;
        foreach (var buckets in set.Buckets)
        {
            var rule = buckets.Rule;
            if (rule.Roles.Count > 0)
            {
                roles ??= evaluator.EffectiveRoles(identity);
            }

            if (!rule.AppliesTo(identity.Subject, roles ?? [], decision.Server, decision.Target, decision.AccessKind))
            {
                continue;
            }

            var bucket = buckets.For(subject);

            // Checked before any token is taken, so a call refused by one rule costs nothing under another.
            if (bucket.GetStatistics()?.CurrentAvailablePermits is <= 0)
            {
                return new RateLimitRefusal(rule, buckets.RetryAfter(timeProvider.GetUtcNow()));
            }

            (matched ??= []).Add((rule, buckets, bucket));
        }

        if (matched is not null)
        {
            foreach (var (rule, buckets, bucket) in matched)
            {
                // Another request may have taken the last token since the check above.
                using var lease = bucket.AttemptAcquire();
                if (!lease.IsAcquired)
                {
                    return new RateLimitRefusal(rule, buckets.RetryAfter(timeProvider.GetUtcNow()));
                }
            }
        }

        return null;
    }

    private RuleSet SetFor(IReadOnlyList<RateLimitRule> rules)
    {
        var current = _current;
        if (ReferenceEquals(current.Rules, rules))
        {
            return current;
        }

        lock (_swap)
        {
            current = _current;
            if (ReferenceEquals(current.Rules, rules))
            {
                return current;
            }

            // A reload: rules with the same key keep their buckets (and their callers' spent tokens); the rest go.
            var kept = current.Buckets.ToDictionary(b => b.Rule.Key, StringComparer.Ordinal);
            var next = new List<RuleBuckets>(rules.Count);
            foreach (var rule in rules)
            {
                next.Add(kept.Remove(rule.Key, out var same) ? same : new RuleBuckets(rule, timeProvider));
            }

            foreach (var removed in kept.Values)
            {
                removed.Dispose();
            }

            _current = new RuleSet(rules, next);
            return _current;
        }
    }

    public void Dispose()
    {
        lock (_swap)
        {
            foreach (var buckets in _current.Buckets)
            {
                buckets.Dispose();
            }

            _current = RuleSet.Empty;
        }
    }

    private sealed record RuleSet(IReadOnlyList<RateLimitRule> Rules, IReadOnlyList<RuleBuckets> Buckets)
    {
        public static readonly RuleSet Empty = new([], []);
    }

    /// <summary>One rule's buckets, one per subject, and the timer that refills them.</summary>
    private sealed class RuleBuckets : IDisposable
    {
        private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _bySubject = new(StringComparer.Ordinal);
        private readonly TokenBucketRateLimiterOptions _options;
        private readonly ITimer _timer;
        private long _windowStartTicks;

        public RuleBuckets(RateLimitRule rule, TimeProvider timeProvider)
        {
            Rule = rule;
            _options = new TokenBucketRateLimiterOptions
            {
                TokenLimit = rule.Limit,
                TokensPerPeriod = rule.Limit,
                ReplenishmentPeriod = rule.Per,
                AutoReplenishment = false,
                QueueLimit = 0,
            };
            _windowStartTicks = timeProvider.GetUtcNow().UtcTicks;
            _timer = timeProvider.CreateTimer(static state => ((RuleBuckets)state!).Replenish(), this, rule.Per, rule.Per);
        }

        public RateLimitRule Rule { get; }

        public TokenBucketRateLimiter For(string subject) =>
            _bySubject.GetOrAdd(subject, static (_, options) => new TokenBucketRateLimiter(options), _options);

        /// <summary>Whole seconds until the next refill, at least 1 (what <c>Retry-After</c> can say).</summary>
        public int RetryAfter(DateTimeOffset now)
        {
            var next = Volatile.Read(ref _windowStartTicks) + Rule.Per.Ticks;
            var seconds = Math.Ceiling((next - now.UtcTicks) / (double)TimeSpan.TicksPerSecond);
            return (int)Math.Clamp(seconds, 1, Rule.Per.TotalSeconds);
        }

        private void Replenish()
        {
            // A new window: every caller starts again with a full bucket, made when it next calls, so memory stays
            // bounded by the callers of one window. The old buckets are not disposed (a request may still hold one;
            // a bucket that replenishes manually owns no timer).
            Volatile.Write(ref _windowStartTicks, _windowStartTicks + Rule.Per.Ticks);
            _bySubject.Clear();
        }

        public void Dispose()
        {
            // The buckets are dropped, not disposed: a request in flight may still take a token from one.
            _timer.Dispose();
            _bySubject.Clear();
        }
    }
}

/// <summary>A call over its limit: the rule that refused it and how long until its bucket refills.</summary>
internal sealed record RateLimitRefusal(RateLimitRule Rule, int RetryAfterSeconds);
