using System.Net;
using System.Security.Claims;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// Validates JWT access tokens for one <see cref="OAuthSettings"/> with the platform's JWT stack (docs/oauth.md):
/// the issuer's metadata and JWKS through a <see cref="ConfigurationManager{T}"/> (cached, fetched again when a
/// token names a key it does not know, so a key rotation at the IdP needs no restart), issuer, audience, lifetime
/// with a bounded clock skew and an asymmetric-only algorithm allow-list. A validated token is remembered until it
/// expires (<see cref="ValidatedTokenCache"/>); the audience is still checked for each route.
/// </summary>
internal sealed class OAuthTokenValidator
{
    /// <summary>How far the gate's clock and the IdP's may disagree; the platform's default (5 minutes) is generous.</summary>
    internal static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    // Asymmetric only: never "none", never an HMAC, whose "secret" could be the IdP's public key (alg confusion).
    private static readonly string[] s_algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly OAuthSettings _settings;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _metadata;
    private readonly ValidatedTokenCache _cache;

    static OAuthTokenValidator()
    {
        // With the default (background) refresh, the request that meets a rotated key would still be checked
        // against the old key set and refused; blocking makes that request wait for the new JWKS instead.
        AppContext.SetSwitch("Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking", true);
    }

    public OAuthTokenValidator(OAuthSettings settings, HttpClient http, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _cache = new ValidatedTokenCache(time);
        var loopback = IsLoopback(settings.Issuer);
        _metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            AuthorizationServerMetadataRetriever.OpenIdConfigurationUrl(settings.Issuer),
            new AuthorizationServerMetadataRetriever(settings.Issuer),
            new HttpDocumentRetriever(http) { RequireHttps = !loopback });
    }

    /// <summary>
    /// The token's verdict on route <paramref name="alias"/>. Synchronous for a token already validated (a lookup,
    /// the audience and scope checks); only a new token awaits the platform's validation.
    /// </summary>
    public ValueTask<OAuthResult> ValidateAsync(ReadOnlyMemory<char> token, string alias)
    {
        if (token.Span.Count('.') != 2)
        {
            // Not a JWS compact token: nothing to verify, and no reason to fetch the issuer's keys for it.
            return ValueTask.FromResult(OAuthResult.Failed(OAuthErrors.Malformed));
        }

        if (_cache.TryGet(token.Span, out var validated))
        {
            return ValueTask.FromResult(HasAudienceFor(validated!, alias)
                ? Authorize(validated!)
                : OAuthResult.Failed(OAuthErrors.Audience, validated!.Identity.Issuer, validated.Identity.ClientId));
        }

        return ValidateNewAsync(token.ToString(), alias);
    }

    private async ValueTask<OAuthResult> ValidateNewAsync(string token, string alias)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = _settings.Issuer,
            ValidAudiences = AudiencesFor(alias),
            ValidAlgorithms = s_algorithms,
            ConfigurationManager = _metadata,
            ClockSkew = ClockSkew,
            LifetimeValidator = ValidateLifetime,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
        };

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, parameters);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            return OAuthResult.Failed(OAuthErrors.IdpUnavailable);
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            var unverified = TryRead(token);
            return OAuthResult.Failed(OAuthErrors.From(result.Exception), unverified?.Issuer, unverified is null ? null : ClientIdOf(unverified));
        }

        if (ReadIdentity(jwt) is not { } identity)
        {
            return OAuthResult.Failed(OAuthErrors.SubjectMissing, jwt.Issuer, ClientIdOf(jwt));
        }

        var validated = new ValidatedToken(identity, jwt.Audiences.ToArray(), ScopesOf(jwt), jwt.ValidTo.Add(ClockSkew));
        _cache.Add(token, validated);
        return Authorize(validated);
    }

    private OAuthResult Authorize(ValidatedToken validated)
    {
        foreach (var scope in _settings.RequiredScopes)
        {
            if (Array.IndexOf(validated.Scopes, scope) < 0)
            {
                return OAuthResult.ScopeMissing(validated.Identity);
            }
        }

        return OAuthResult.Valid(validated.Identity);
    }

    /// <summary>
    /// The platform's lifetime rule (exp and nbf, each with <see cref="ClockSkew"/>) on the gate's
    /// <see cref="TimeProvider"/>: this version's TokenValidationParameters reads the system clock.
    /// </summary>
    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is not { } validTo)
        {
            throw new SecurityTokenNoExpirationException("the token has no expiration time");
        }

        if (notBefore is { } validFrom && validFrom > now + ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("the token is not valid yet") { NotBefore = validFrom };
        }

        if (validTo < now - ClockSkew)
        {
            throw new SecurityTokenExpiredException("the token has expired") { Expires = validTo };
        }

        return true;
    }

    /// <summary>Accepted <c>aud</c> values on <paramref name="alias"/>: the route's resource URL and the configured audiences.</summary>
    private string[] AudiencesFor(string alias) => [_settings.ResourceFor(alias), .. _settings.Audiences];

    private bool HasAudienceFor(ValidatedToken token, string alias)
    {
        foreach (var audience in token.Audiences)
        {
            if (_settings.IsResourceFor(audience, alias) || _settings.Audiences.Contains(audience, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where each role of a verified token came from (<c>mcp acl check --token</c>).</summary>
    internal List<RoleOrigin> RoleOrigins(JsonWebToken jwt)
    {
        var origins = new List<RoleOrigin>();
        ReadIdentity(jwt, origins);
        return origins;
    }

    private Identity? ReadIdentity(JsonWebToken jwt, List<RoleOrigin>? origins = null)
    {
        string? subject = null;
        var roles = new List<string>();
        foreach (var claim in jwt.Claims)
        {
            if (subject is null && claim.Type == _settings.SubjectClaim && claim.ValueType == ClaimValueTypes.String && !string.IsNullOrWhiteSpace(claim.Value))
            {
                subject = claim.Value;
            }

            if (_settings.RoleClaims.Contains(claim.Type, StringComparer.Ordinal))
            {
                // An IdP sends groups as a JSON array (one claim per value here) or as one space/comma separated string.
                foreach (var value in claim.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    AddRoles(roles, claim.Type, value, origins);
                }
            }
        }

        if (subject is null)
        {
            return null;
        }

        return new Identity(subject, roles.AsReadOnly(), AuthSource.OAuth) { Issuer = jwt.Issuer, ClientId = ClientIdOf(jwt) };
    }

    private void AddRoles(List<string> roles, string claim, string value, List<RoleOrigin>? origins)
    {
        if (_settings.RoleMap is null)
        {
            if (!roles.Contains(value))
            {
                roles.Add(value);
            }

            origins?.Add(new RoleOrigin(value, claim, value));
            return;
        }

        // With a roleMap only mapped values count: an IdP group that happens to share an ACL role's name grants nothing.
        if (_settings.RoleMap.TryGetValue(value, out var mapped))
        {
            foreach (var role in mapped)
            {
                if (!roles.Contains(role))
                {
                    roles.Add(role);
                }

                origins?.Add(new RoleOrigin(role, claim, value));
            }
        }
    }

    private static string[] ScopesOf(JsonWebToken jwt)
    {
        var scopes = new List<string>();
        foreach (var claim in jwt.Claims)
        {
            // "scope" (RFC 9068, one space separated string) or "scp" (Entra ID, Okta: a string or an array).
            if (claim.Type is "scope" or "scp")
            {
                scopes.AddRange(claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        return [.. scopes];
    }

    private static string? ClientIdOf(JsonWebToken jwt) =>
        jwt.TryGetPayloadValue<string>("azp", out var azp) ? azp
        : jwt.TryGetPayloadValue<string>("client_id", out var clientId) ? clientId
        : null;

    /// <summary>The unverified token, only to name its issuer and client in the audit of a refusal.</summary>
    private static JsonWebToken? TryRead(string token)
    {
        try
        {
            return new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)));
}

/// <summary>A token that passed validation, as the cache keeps it: nothing of the token itself.</summary>
internal sealed record ValidatedToken(Identity Identity, string[] Audiences, string[] Scopes, DateTimeOffset ValidUntil);

/// <summary>The outcome of one token: an identity, a refusal with its reason code, or a valid token lacking a required scope.</summary>
internal readonly record struct OAuthResult(Identity? Identity, string? Error, string? Issuer, string? ClientId, bool InsufficientScope)
{
    public static OAuthResult Valid(Identity identity) => new(identity, null, identity.Issuer, identity.ClientId, false);

    public static OAuthResult Failed(string error, string? issuer = null, string? clientId = null) => new(null, error, issuer, clientId, false);

    public static OAuthResult ScopeMissing(Identity identity) => new(identity, OAuthErrors.InsufficientScope, identity.Issuer, identity.ClientId, true);
}
