using System.Runtime.CompilerServices;
using McpGate.Configuration;

namespace McpGate.Gateway.Authentication;

/// <summary>
/// One <see cref="OAuthTokenValidator"/> per loaded <see cref="OAuthSettings"/>: a hot reload gets a fresh validator
/// (new metadata, empty token cache), so a changed issuer, audience or role map applies to the next request.
/// </summary>
internal sealed class OAuthValidators(TimeProvider time) : IDisposable
{
    private readonly ConditionalWeakTable<OAuthSettings, OAuthTokenValidator> _validators = [];

    // The metadata and JWKS documents are small; an IdP that does not answer must not hold requests for long.
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10), MaxResponseContentBufferSize = 1024 * 1024 };

    public OAuthTokenValidator For(OAuthSettings settings) => _validators.GetValue(settings, s => new OAuthTokenValidator(s, _http, time));

    public void Dispose() => _http.Dispose();
}
