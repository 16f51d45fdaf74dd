using McpGate.Gateway.RateLimiting;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.Extensions.Time.Testing;

namespace McpGate.Gateway.Tests.RateLimiting;

/// <summary>The buckets behind <c>gateway.rateLimits</c>, driven by a <see cref="FakeTimeProvider"/>.</summary>
public sealed class GateRateLimiterTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly GateRateLimiter _limiter;

    public GateRateLimiterTests() => _limiter = new GateRateLimiter(_time);

    public void Dispose() => _limiter.Dispose();

    private static GateConfig Config(string rateLimits) => ConfigLoader.Parse($$"""
        {
          "mcpServers": { "files": { "url": "http://127.0.0.1:9/mcp" } },
          "serverAuth": { "acl": { "default": "deny", "roles": { "dev": [ { "server": "*", "access": "*" } ] } } },
          "gateway": { "rateLimits": {{rateLimits}} }
        }
        """, "test.json", _ => null);

    private static Decision Call(GateConfig config, string subject, string tool, AccessKind access) =>
        config.Evaluator.Evaluate(new Identity(subject, ["dev"], AuthSource.Bearer), "files", TargetKind.Tool, tool,
            new McpGate.Policy.Classification.ToolClassification(access == AccessKind.Write ? McpGate.Policy.Classification.ToolKind.Write : McpGate.Policy.Classification.ToolKind.Read, McpGate.Policy.Classification.ClassificationSource.Override, 1.0, [], false, 0));

    private RateLimitRefusal? Acquire(GateConfig config, string subject, string tool = "delete_file", AccessKind access = AccessKind.Write) =>
        _limiter.TryAcquire(config.Gateway.RateLimits, new Identity(subject, ["dev"], AuthSource.Bearer), config.Evaluator, Call(config, subject, tool, access));

    [Fact]
    public void LimitPlusOne_IsRefusedOnce_PerSubject_AndReadsAreNotCounted()
    {
        var config = Config("""[ { "name": "dev-writes", "roles": ["dev"], "access": "write", "limit": 3, "per": "1m" } ]""");

        var results = Enumerable.Range(0, 4).Select(_ => Acquire(config, "alice")).ToList();
        Enumerable.Range(0, 10).Select(_ => Acquire(config, "alice", "read_file", AccessKind.Read)).Should().AllSatisfy(r => r.Should().BeNull());

        results.Take(3).Should().AllSatisfy(r => r.Should().BeNull());
        results[3].Should().NotBeNull();
        results[3]!.Rule.Name.Should().Be("dev-writes");
        results[3]!.RetryAfterSeconds.Should().Be(60);
        Acquire(config, "bob").Should().BeNull("each subject has its own bucket");
    }

    [Fact]
    public void Bucket_RefillsWhenTheWindowHasPassed()
    {
        var config = Config("""[ { "subjects": "*", "access": "write", "limit": 2, "per": "30s" } ]""");
        Acquire(config, "alice");
        Acquire(config, "alice");
        _time.Advance(TimeSpan.FromSeconds(20));

        Acquire(config, "alice")!.RetryAfterSeconds.Should().Be(10);
        _time.Advance(TimeSpan.FromSeconds(10));
        Acquire(config, "alice").Should().BeNull();
        Acquire(config, "alice").Should().BeNull();
        Acquire(config, "alice")!.Rule.Name.Should().Be("rateLimits[0]");
    }

    [Fact]
    public void Reload_KeepsUnchangedRules_AndDropsChangedOnes()
    {
        var before = Config("""[ { "name": "a", "subjects": "*", "tool": "delete_*", "limit": 1, "per": "1h" }, { "name": "b", "subjects": "*", "tool": "create_*", "limit": 1, "per": "1h" } ]""");
        Acquire(before, "alice").Should().BeNull();
        Acquire(before, "alice", "create_pr").Should().BeNull();

        // "a" is unchanged: alice's spent token stays spent. "b" has a new limit: a new bucket.
        var after = Config("""[ { "name": "a", "subjects": "*", "tool": "delete_*", "limit": 1, "per": "1h" }, { "name": "b", "subjects": "*", "tool": "create_*", "limit": 5, "per": "1h" } ]""");
        Acquire(after, "alice")!.Rule.Name.Should().Be("a");
        Acquire(after, "alice", "create_pr").Should().BeNull("b changed, so its spent bucket went with the reload");

        var none = Config("[]");
        Acquire(none, "alice").Should().BeNull("a removed rule limits nothing");
    }

    [Fact]
    public void CallRefusedByOneRule_TakesNoTokenFromAnother()
    {
        var config = Config("""[ { "name": "all", "subjects": "*", "limit": 2, "per": "1h" }, { "name": "deletes", "subjects": "*", "tool": "delete_*", "limit": 1, "per": "1h" } ]""");

        Acquire(config, "alice").Should().BeNull();
        Acquire(config, "alice")!.Rule.Name.Should().Be("deletes");
        Acquire(config, "alice", "create_pr").Should().BeNull("the refused delete took nothing from \"all\"");
    }
}
