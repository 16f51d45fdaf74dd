using System.Collections.Concurrent;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// JWTs whose signature, issuer and lifetime have been checked, so a returning caller costs a lookup instead of a
/// signature verification. An entry lives until the token expires; what depends on the route (audience) and on the
/// config (scopes) is checked on every request from what is kept.
/// </summary>
/// <remarks>
/// Keyed by the token itself, looked up from the request header's characters with the process's randomised string
/// hash and compared in full: a cryptographic digest of the token on every request cost more than the rest of the
/// OAuth path together (docs/performance.md). <see cref="BearerTokenCache"/> keeps static tokens the same way, and
/// Kestrel itself keeps the connection's last header values. Bounded: when full, expired entries are swept and, if it
/// is still full, new tokens are verified every time rather than evicting live ones, so a flood of fresh valid tokens
/// degrades speed, never memory.
/// </remarks>
internal sealed class ValidatedTokenCache
{
    internal const int Capacity = 4096;

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ValidatedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ValidatedToken>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public ValidatedTokenCache(TimeProvider time)
    {
        _time = time;
        _lookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(ReadOnlySpan<char> token, out ValidatedToken? validated)
    {
        if (_lookup.TryGetValue(token, out var key, out validated))
        {
            if (validated.ValidUntil > _time.GetUtcNow())
            {
                return true;
            }

            _tokens.TryRemove(key, out _);
        }

        validated = null;
        return false;
    }

    public void Add(string token, ValidatedToken validated)
    {
        if (_tokens.Count >= Capacity)
        {
            var now = _time.GetUtcNow();
            foreach (var (key, value) in _tokens)
            {
                if (value.ValidUntil <= now)
                {
                    _tokens.TryRemove(key, out _);
                }
            }

            if (_tokens.Count >= Capacity)
            {
                return;
            }
        }

        _tokens.TryAdd(token, validated);
    }
}
