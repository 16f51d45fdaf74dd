using McpGate.Gateway.Authentication;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Gateway.Tests.Authentication;

public sealed class BearerTokenCacheTests
{
    private static readonly Identity s_bob = new("bob", ["dev"], AuthSource.Bearer);

    [Fact]
    public void EachConfigurationHasItsOwnCache()
    {
        var before = new AuthConfig { Providers = [AuthProviderKind.Bearer] };
        var after = new AuthConfig { Providers = [AuthProviderKind.Bearer] };
        BearerTokenCache.For(before).Add("token-1", s_bob);

        BearerTokenCache.For(before).TryGet("token-1", out var cached).Should().BeTrue();
        cached.Should().BeSameAs(s_bob);
        BearerTokenCache.For(after).TryGet("token-1", out _).Should().BeFalse("a reloaded configuration starts with no remembered tokens");
    }

    [Fact]
    public void Lookup_IsExact()
    {
        var cache = BearerTokenCache.For(new AuthConfig { Providers = [AuthProviderKind.Bearer] });
        cache.Add("token-1", s_bob);

        cache.TryGet("token-2", out _).Should().BeFalse();
        cache.TryGet("TOKEN-1", out _).Should().BeFalse();
        cache.TryGet("token-1 ", out _).Should().BeFalse();
    }

    [Fact]
    public void Add_StopsAtCapacity()
    {
        var cache = BearerTokenCache.For(new AuthConfig { Providers = [AuthProviderKind.Bearer] });
        for (var i = 0; i < BearerTokenCache.Capacity + 10; i++)
        {
            cache.Add($"token-{i}", s_bob);
        }

        cache.TryGet($"token-{BearerTokenCache.Capacity - 1}", out _).Should().BeTrue();
        cache.TryGet($"token-{BearerTokenCache.Capacity}", out _).Should().BeFalse();
    }
}
