using McpGate.Policy.Evaluation;

namespace McpGate.Gateway.Sessions;

/// <summary>
/// What a client's <c>Mcp-Session-Id</c> carries once the gate has sealed it (docs/gateway.md, "Sessions across
/// replicas"): the upstream it belongs to, the upstream's own session id, and the caller it is bound to. Any replica
/// holding the key ring reads it back; none needs to have seen the session created.
/// </summary>
/// <param name="Server">The upstream alias the session was initialized on.</param>
/// <param name="UpstreamSessionId">The id the upstream issued, forwarded in place of the sealed one.</param>
/// <param name="Subject">The subject that initialized the session.</param>
/// <param name="Issuer">The token issuer that vouched for <paramref name="Subject"/>, where the identity provider names
/// one (OAuth); null for static bearer tokens and forwarded identities. Two issuers may mint the same subject.</param>
internal sealed record SealedSession(string Server, string UpstreamSessionId, string? Subject, string? Issuer)
{
    public static SealedSession For(string server, string upstreamSessionId, Identity identity) =>
        new(server, upstreamSessionId, identity.Subject, IssuerOf(identity));

    /// <summary>True when this session may be used on <paramref name="server"/> by <paramref name="identity"/>.</summary>
    public bool IsBoundTo(string server, Identity identity) =>
        string.Equals(Server, server, StringComparison.Ordinal)
        && string.Equals(Subject, identity.Subject, StringComparison.Ordinal)
        && string.Equals(Issuer, IssuerOf(identity), StringComparison.Ordinal);

    // The one place that says which issuer an identity has: an OAuth identity names its token's "iss" (so the same
    // subject at another IdP is another caller); static bearer tokens and forwarded headers name none.
    private static string? IssuerOf(Identity identity) => identity.Issuer;
}
