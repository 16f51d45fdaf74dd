using System.Net;

namespace McpGate.Configuration;

public enum AuthProviderKind
{
    Bearer,
    Forwarded,
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
