namespace McpGate.Configuration.Tests;

/// <summary>serverAuth.oauth as the loader reads it: the issue 16 contract keys, their defaults and normalisation.</summary>
public sealed class OAuthConfigTests
{
    [Fact]
    public void EveryContractKey_IsRead()
    {
        var config = ConfigLoader.Parse("""
        {
          "mcpServers": { "github": { "url": "http://127.0.0.1:1/mcp" } },
          "serverAuth": {
            "providers": ["bearer", "oauth"],
            "bearer": { "tokens": {} },
            "oauth": {
              "issuer": "https://login.example.com/realms/acme/",
              "resource": "https://gate.example.com",
              "audiences": ["https://gate.example.com/mcp/github", "api://mcpgate"],
              "subjectClaim": "email",
              "roleClaims": ["groups", "roles"],
              "roleMap": { "sre": ["admin"], "engineering": ["dev"] },
              "requiredScopes": ["mcp"],
              "scopesSupported": ["mcp", "mcp.admin"]
            }
          }
        }
        """, "servers.json", _ => null);

        var oauth = config.Auth.OAuth!;
        config.Auth.Providers.Should().Equal(AuthProviderKind.Bearer, AuthProviderKind.OAuth);
        oauth.Issuer.Should().Be("https://login.example.com/realms/acme", "a trailing slash is not part of the issuer the gate compares");
        oauth.ResourceFor("github").Should().Be("https://gate.example.com/mcp/github");
        oauth.MetadataUrlFor("github").Should().Be("https://gate.example.com/.well-known/oauth-protected-resource/mcp/github");
        oauth.Audiences.Should().Equal("https://gate.example.com/mcp/github", "api://mcpgate");
        oauth.SubjectClaim.Should().Be("email");
        oauth.RoleClaims.Should().Equal("groups", "roles");
        oauth.RoleMap!["sre"].Should().Equal("admin");
        oauth.RequiredScopes.Should().Equal("mcp");
        oauth.ScopesSupported.Should().Equal("mcp", "mcp.admin");
    }

    [Fact]
    public void Defaults_SubClaim_GroupsAndRoles_NoRoleMap_AndTheRequiredScopesAdvertised()
    {
        var config = ConfigLoader.Parse("""
        {
          "mcpServers": {},
          "serverAuth": {
            "providers": ["oauth"],
            "oauth": { "issuer": "http://127.0.0.1:8080", "resource": "http://localhost:3000", "requiredScopes": ["mcp"] }
          }
        }
        """, "servers.json", _ => null);

        var oauth = config.Auth.OAuth!;
        oauth.SubjectClaim.Should().Be("sub");
        oauth.RoleClaims.Should().Equal("groups", "roles");
        oauth.RoleMap.Should().BeNull();
        oauth.Audiences.Should().BeEmpty();
        oauth.ScopesSupported.Should().Equal("mcp");
    }
}
