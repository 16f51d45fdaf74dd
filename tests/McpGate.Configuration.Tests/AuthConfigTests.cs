using System.Net;
using System.Security.Cryptography;
using System.Text;
using McpGate.Configuration;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

public sealed class AuthConfigTests
{
    private const string BobHash = "84c60dc436211b8b0816c38aa8bd40567b75d7fc47fdecab65f40885348c6bbd";

    [Fact]
    public void NoServerAuth_IsAnonymousOnly()
    {
        var config = Policies.Parse("""{ "mcpServers": {} }""");

        config.Auth.Providers.Should().BeEmpty();
        config.Auth.BearerTokens.Should().BeEmpty();
        config.Evaluator.Schema.Should().Be("none");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"none\"]")]
    public void EmptyOrNoneProviders_AreAnonymous(string providers)
    {
        Policies.Parse($$"""{ "mcpServers": {}, "serverAuth": { "providers": {{providers}} } }""").Auth.Providers.Should().BeEmpty();
    }

    [Fact]
    public void PlainToken_IsStoredAsItsSha256()
    {
        var config = Policies.Parse("""{ "mcpServers": {}, "serverAuth": { "providers": ["bearer"], "bearer": { "tokens": { "bob-demo-token": "bob" } } } }""");

        var entry = config.Auth.BearerTokens.Should().ContainSingle().Which;
        entry.Sha256.Should().Equal(SHA256.HashData(Encoding.UTF8.GetBytes("bob-demo-token")));
        entry.Subject.Should().Be("bob");
        entry.Roles.Should().BeEmpty();
        entry.JsonPath.Should().Be("$.serverAuth.bearer.tokens[<token #1>]");
    }

    [Fact]
    public void Sha256Key_IsDecodedToTheSameHash()
    {
        var config = Policies.Parse($$"""{ "mcpServers": {}, "serverAuth": { "providers": ["bearer"], "bearer": { "tokens": { "sha256:{{BobHash}}": { "subject": "bob", "roles": ["dev", "ops", "dev"] } } } } }""");

        var entry = config.Auth.BearerTokens.Should().ContainSingle().Which;
        entry.Sha256.Should().Equal(SHA256.HashData(Encoding.UTF8.GetBytes("bob-demo-token")));
        entry.Roles.Should().Equal("dev", "ops");
        entry.JsonPath.Should().Be($"$.serverAuth.bearer.tokens['sha256:{BobHash}']");
    }

    [Fact]
    public void Forwarded_ParsesHeadersAndTrustedProxies()
    {
        var config = Policies.Parse("""
            { "mcpServers": {}, "serverAuth": { "providers": ["bearer", "forwarded"], "bearer": { "tokens": {} },
              "forwarded": { "header": "x-user", "groups_header": "x-groups", "trustedProxies": ["127.0.0.1/32", "10.0.0.0/8", "::1", "192.168.1.7"] } } }
            """);

        config.Auth.Providers.Should().Equal(AuthProviderKind.Bearer, AuthProviderKind.Forwarded);
        var forwarded = config.Auth.Forwarded!;
        forwarded.Header.Should().Be("x-user");
        forwarded.GroupsHeader.Should().Be("x-groups");
        forwarded.TrustedProxies.Should().Equal(
            IPNetwork.Parse("127.0.0.1/32"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("192.168.1.7/32"));
        forwarded.TrustedProxies[1].Contains(IPAddress.Parse("10.20.30.40")).Should().BeTrue();
    }

    [Fact]
    public void Forwarded_DefaultsItsHeaderNames()
    {
        var config = Policies.Parse("""{ "mcpServers": {}, "serverAuth": { "providers": ["forwarded"], "forwarded": { "trustedProxies": ["127.0.0.1/32"] } } }""");

        config.Auth.Forwarded!.Header.Should().Be("x-forwarded-user");
        config.Auth.Forwarded.GroupsHeader.Should().Be("x-forwarded-groups");
    }

    [Fact]
    public void UndefinedRolesOnTokens_AreAccepted()
    {
        var config = Policies.Parse("""
            { "mcpServers": {}, "serverAuth": { "providers": ["bearer"], "bearer": { "tokens": { "t": { "subject": "bob", "roles": ["not-defined"] } } },
              "acl": { "roles": { "dev": [] } } } }
            """);

        config.Auth.BearerTokens.Single().Roles.Should().Equal("not-defined");
    }
}
