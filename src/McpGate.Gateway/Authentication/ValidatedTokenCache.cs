using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// JWTs whose signature, issuer and lifetime have been checked, keyed by the token's SHA-256, so a returning caller
/// costs a hash and a lookup instead of a signature verification. An entry lives until the token expires; what
/// depends on the route (audience) and on the config (scopes) is checked on every request from what is kept.
/// </summary>
/// <remarks>
/// Keyed by a hash so the cache holds no bearer secret. Bounded: when full, expired entries are swept and, if it is
/// still full, new tokens are verified every time rather than evicting live ones, so a flood of fresh valid tokens
/// degrades speed, never memory.
/// </remarks>
internal sealed class ValidatedTokenCache(TimeProvider time)
{
    internal const int Capacity = 4096;

    private readonly ConcurrentDictionary<TokenDigest, ValidatedToken> _tokens = new();

    public static TokenDigest Digest(ReadOnlySpan<char> token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var max = Encoding.UTF8.GetMaxByteCount(token.Length);
        var rented = max <= 4096 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(max);
        Span<byte> utf8 = rented is null ? stackalloc byte[max] : rented;
        var length = Encoding.UTF8.GetBytes(token, utf8);
        SHA256.HashData(utf8[..length], hash);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return new TokenDigest(
            BitConverter.ToUInt64(hash), BitConverter.ToUInt64(hash[8..]), BitConverter.ToUInt64(hash[16..]), BitConverter.ToUInt64(hash[24..]));
    }

    public bool TryGet(in TokenDigest digest, out ValidatedToken? token)
    {
        if (_tokens.TryGetValue(digest, out token))
        {
            if (token.ValidUntil > time.GetUtcNow())
            {
                return true;
            }

            _tokens.TryRemove(digest, out _);
        }

        token = null;
        return false;
    }

    public void Add(in TokenDigest digest, ValidatedToken token)
    {
        if (_tokens.Count >= Capacity)
        {
            var now = time.GetUtcNow();
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

        _tokens.TryAdd(digest, token);
    }
}

internal readonly record struct TokenDigest(ulong A, ulong B, ulong C, ulong D);
