using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.OAuth;

/// <summary>
/// A real IdP (<see cref="IdpPeer"/>), a real upstream and the real gate accepting the IdP's tokens on two routes,
/// <c>files</c> and <c>other</c>. Roles come from the token's <c>groups</c> through a roleMap: sre → admin
/// (everything), engineering → dev (read tools on files).
/// </summary>
public sealed class OAuthGate : IAsyncLifetime
{
    public IdpPeer Idp { get; private set; } = null!;

    public TestUpstream Upstream { get; private set; } = null!;

    internal RunningGate Gate { get; private set; } = null!;

    public string Resource => Gate.BaseUrl.GetLeftPart(UriPartial.Authority);

    public string ResourceFor(string alias) => Resource + "/mcp/" + alias;

    public static string Config(Uri upstream, string issuer, string resource, string extraOAuth = "") => $$"""
    {
      "mcpServers": { "files": { "url": "{{upstream}}" }, "other": { "url": "{{upstream}}" } },
      "serverAuth": {
        "providers": ["oauth"],
        "oauth": {
          "issuer": "{{issuer}}",
          "resource": "{{resource}}",
          "subjectClaim": "sub",
          "roleClaims": ["groups"],
          "roleMap": { "sre": ["admin"], "engineering": ["dev"] },
          "requiredScopes": ["mcp"],
          "scopesSupported": ["mcp"]
          {{extraOAuth}}
        },
        "acl": {
          "default": "deny",
          "roles": {
            "admin": [ { "server": "*", "access": "*" } ],
            "dev": [ { "server": "files", "access": "read", "tools": ["*"] } ]
          }
        }
      }
    }
    """;

    public async Task InitializeAsync()
    {
        Idp = await IdpPeer.StartAsync();
        Upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        var port = UnusedLoopback.Port();
        Gate = await RunningGate.StartAsync(Config(Upstream.McpUrl, Idp.Issuer, $"http://127.0.0.1:{port}"), port: port);
    }

    public async Task DisposeAsync()
    {
        await Gate.DisposeAsync();
        await Upstream.DisposeAsync();
        await Idp.DisposeAsync();
    }
}
