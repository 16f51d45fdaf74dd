using System.Net;
using System.Security.Cryptography;
using System.Text;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// Runs the provider chain of <c>serverAuth.providers</c> (docs/acl.md, "Authentication (`serverAuth`)"): the first
/// provider that recognises the caller wins; none → the caller is unauthenticated. With no providers every caller is
/// <c>anonymous</c>.
/// </summary>
internal static class CallerAuthenticator
{
    private const int MaxTokenBytes = 4096;

    public static Identity? Authenticate(HttpContext context, AuthConfig auth)
    {
        if (auth.Providers.Count == 0)
        {
            return Identity.Anonymous;
        }

        foreach (var provider in auth.Providers)
        {
            var identity = provider switch
            {
                AuthProviderKind.Bearer => FromBearer(context.Request, auth),
                AuthProviderKind.Forwarded when auth.Forwarded is { } forwarded => FromForwarded(context, forwarded),
                _ => null,
            };

            if (identity is not null)
            {
                return identity;
            }
        }

        return null;
    }

    private static Identity? FromBearer(HttpRequest request, AuthConfig auth)
    {
        var header = request.Headers[HeaderNames.Authorization];
        if (header.Count != 1 || header[0] is not { } value)
        {
            return null;
        }

        const string Scheme = "Bearer ";
        if (value.Length <= Scheme.Length || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value.AsSpan(Scheme.Length).Trim();
        if (token.IsEmpty || Encoding.UTF8.GetMaxByteCount(token.Length) > MaxTokenBytes)
        {
            return null;
        }

        var cache = BearerTokenCache.For(auth);
        if (cache.TryGet(token, out var known))
        {
            return known;
        }

        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var length = Encoding.UTF8.GetBytes(token, utf8);
        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], presented);
        CryptographicOperations.ZeroMemory(utf8);

        // Compare against every entry, always: the time taken must not say which token came close.
        BearerTokenEntry? match = null;
        foreach (var entry in auth.BearerTokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, entry.Sha256) && match is null)
            {
                match = entry;
            }
        }

        if (match is null)
        {
            return null;
        }

        var identity = new Identity(match.Subject, match.Roles, AuthSource.Bearer);
        cache.Add(token, identity);
        return identity;
    }

    private static Identity? FromForwarded(HttpContext context, ForwardedAuthSettings settings)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null || !IsTrusted(peer, settings.TrustedProxies))
        {
            return null;
        }

        var user = context.Request.Headers[settings.Header];
        if (user.Count != 1 || string.IsNullOrWhiteSpace(user[0]))
        {
            return null;
        }

        var roles = new List<string>();
        foreach (var value in context.Request.Headers[settings.GroupsHeader])
        {
            if (value is null)
            {
                continue;
            }

            foreach (var group in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                roles.Add(group);
            }
        }

        return new Identity(user[0]!.Trim(), roles, AuthSource.Forwarded);
    }

    private static bool IsTrusted(IPAddress peer, IReadOnlyList<IPNetwork> trusted)
    {
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        foreach (var network in trusted)
        {
            if (network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }
}
