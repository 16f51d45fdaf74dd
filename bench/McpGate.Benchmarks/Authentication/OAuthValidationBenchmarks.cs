using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using McpGate.Bench;
using McpGate.Configuration;
using McpGate.Gateway.Authentication;

namespace McpGate.Benchmarks.Authentication;

/// <summary>
/// What a returning OAuth caller costs the gate (docs/oauth.md): <see cref="OAuthTokenValidator"/> on a token it has
/// already verified, i.e. the cache lookup (by the token's characters) and the per-route audience and scope checks. The
/// load bench's <c>mcpgate-oauth</c> target measures the same path end to end.
/// </summary>
[BenchmarkCategory("oauth")]
public class OAuthValidationBenchmarks
{
    private BenchIssuer _issuer = null!;
    private HttpClient _http = null!;
    private OAuthTokenValidator _validator = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Served from memory: the first validation fetches the discovery document and JWKS once, then never again.
        _issuer = new BenchIssuer("http://127.0.0.1:9");
        _http = new HttpClient(new InMemoryIssuer(_issuer));
        var settings = new OAuthSettings { Issuer = _issuer.Url, Resource = "https://gate.example.com", RequiredScopes = ["mcp"] };
        _validator = new OAuthTokenValidator(settings, _http, TimeProvider.System);
        _token = _issuer.Mint(settings.ResourceFor("github"), "bob", ["dev"], "mcp", TimeSpan.FromDays(1));
        var first = _validator.ValidateAsync(_token.AsMemory(), "github").AsTask().GetAwaiter().GetResult();
        if (first.Identity is null)
        {
            throw new InvalidOperationException($"the bench token was refused: {first.Error}");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _issuer.Dispose();
    }

    [Benchmark]
    public object? CachedToken()
    {
        var pending = _validator.ValidateAsync(_token.AsMemory(), "github");
        return pending.IsCompletedSuccessfully ? pending.Result.Identity : throw new InvalidOperationException("a cached token was verified again");
    }

    private sealed class InMemoryIssuer(BenchIssuer issuer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.RequestUri?.AbsolutePath switch
            {
                BenchIssuer.DiscoveryPath => issuer.Discovery(),
                BenchIssuer.JwksPath => issuer.Jwks(),
                _ => null,
            };
            var response = new HttpResponseMessage(body is null ? HttpStatusCode.NotFound : HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(body ?? []),
            };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return Task.FromResult(response);
        }
    }
}
