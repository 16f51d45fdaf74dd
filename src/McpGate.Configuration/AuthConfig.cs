using System.Net;

namespace McpGate.Configuration;

public enum AuthProviderKind
{
    Bearer,
    Forwarded,
    OAuth,
}

/// <summary><c>serverAuth</c> without the ACL: the provider chain and each provider's settings.</summary>
public sealed class AuthConfig
{
    public static readonly AuthConfig AnonymousOnly = new() { Providers = [] };

    /// <summary>The chain, first that succeeds wins; empty means every caller is <c>anonymous</c>.</summary>
    public required IReadOnlyList<AuthProviderKind> Providers { get; init; }

    /// <summary>Configured bearer tokens; each is stored as its SHA-256 so the file may hold no secret.</summary>
    public IReadOnlyList<BearerTokenEntry> BearerTokens { get; init; } = [];

    public ForwardedAuthSettings? Forwarded { get; init; }

    public OAuthSettings? OAuth { get; init; }
}

/// <summary>
/// One bearer token. <see cref="Sha256"/> is the 32-byte SHA-256 of the token text, whether the file gave the
/// token itself or <c>sha256:&lt;hex&gt;</c>; the gate hashes what the caller presents and compares in constant time.
/// </summary>
public sealed class BearerTokenEntry
{
    public required byte[] Sha256 { get; init; }

    public required string Subject { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>JSON path of the entry, for messages that must not quote the token.</summary>
    public required string JsonPath { get; init; }
}

/// <summary>Identity from headers set by a trusted reverse proxy in front of the gate.</summary>
public sealed class ForwardedAuthSettings
{
    public string Header { get; init; } = "x-forwarded-user";

    public string GroupsHeader { get; init; } = "x-forwarded-groups";

    /// <summary>Peers whose forwarded headers are believed (CIDR); never empty when forwarded is enabled.</summary>
    public required IReadOnlyList<IPNetwork> TrustedProxies { get; init; }
}

/// <summary>
/// <c>serverAuth.oauth</c> (docs/oauth.md): the gate as an OAuth 2.1 resource server that accepts JWT access tokens
/// from one issuer and turns their claims into an identity.
/// </summary>
public sealed class OAuthSettings
{
    /// <summary>The authorization server's issuer, without a trailing slash; its metadata gives the JWKS.</summary>
    public required string Issuer { get; init; }

    /// <summary>The gate's public base URL, without a trailing slash; route <c>a</c>'s resource is <c>{Resource}/mcp/a</c>.</summary>
    public required string Resource { get; init; }

    /// <summary>Accepted <c>aud</c> values on every route, in addition to the route's own resource URL.</summary>
    public IReadOnlyList<string> Audiences { get; init; } = [];

    public string SubjectClaim { get; init; } = "sub";

    public IReadOnlyList<string> RoleClaims { get; init; } = ["groups", "roles"];

    /// <summary>IdP value → ACL roles. When present, only mapped values become roles; absent, values are roles as they are.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? RoleMap { get; init; }

    public IReadOnlyList<string> RequiredScopes { get; init; } = [];

    public IReadOnlyList<string> ScopesSupported { get; init; } = [];

    /// <summary>The route's resource URL (RFC 9728 <c>resource</c>, RFC 8707 resource indicator, default audience).</summary>
    public string ResourceFor(string alias) => Resource + "/mcp/" + alias;

    /// <summary><see cref="ResourceFor"/> compared without building it (every OAuth request checks its audience).</summary>
    public bool IsResourceFor(string audience, string alias)
    {
        const string Route = "/mcp/";
        return audience.Length == Resource.Length + Route.Length + alias.Length
            && audience.StartsWith(Resource, StringComparison.Ordinal)
            && audience.AsSpan(Resource.Length, Route.Length).SequenceEqual(Route)
            && audience.AsSpan(Resource.Length + Route.Length).SequenceEqual(alias);
    }

    /// <summary>Where the route's Protected Resource Metadata is served (RFC 9728 §3.1, path insertion).</summary>
    public string MetadataUrlFor(string alias) => Resource + "/.well-known/oauth-protected-resource/mcp/" + alias;
}
