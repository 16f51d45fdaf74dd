using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// The identities of bearer tokens that have already matched an entry of one configuration, so a returning caller
/// skips hashing its token and comparing it with every entry. One cache per loaded <see cref="AuthConfig"/>: a hot
/// reload starts empty, so a token removed from the config stops working with the reload.
/// </summary>
/// <remarks>
/// Only tokens that matched are kept, and at most <see cref="Capacity"/> of them, so callers sending made-up tokens
/// cannot grow it; those always take the hashed, constant-time path. A lookup hashes the presented token with the
/// process's randomised string hash and compares it in full only with a cached token of the same 32-bit hash, so
/// how long a wrong token takes says nothing usable about a right one.
/// </remarks>
internal sealed class BearerTokenCache
{
    internal const int Capacity = 1024;

    private static readonly ConditionalWeakTable<AuthConfig, BearerTokenCache> s_caches = [];

    private readonly ConcurrentDictionary<string, Identity> _identities = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Identity>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;

    private BearerTokenCache() => _lookup = _identities.GetAlternateLookup<ReadOnlySpan<char>>();

    public static BearerTokenCache For(AuthConfig auth) => s_caches.GetValue(auth, static _ => new BearerTokenCache());

    public bool TryGet(ReadOnlySpan<char> token, out Identity? identity)
    {
        if (_lookup.TryGetValue(token, out var found))
        {
            identity = found;
            return true;
        }

        identity = null;
        return false;
    }

    public void Add(ReadOnlySpan<char> token, Identity identity)
    {
        if (Volatile.Read(ref _count) < Capacity && _identities.TryAdd(token.ToString(), identity))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
