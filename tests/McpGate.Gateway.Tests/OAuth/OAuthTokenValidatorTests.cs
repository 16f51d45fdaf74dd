using McpGate.Configuration;
using McpGate.Gateway.Authentication;
using Microsoft.Extensions.Time.Testing;

namespace McpGate.Gateway.Tests.OAuth;

/// <summary><see cref="OAuthTokenValidator"/> on the gate's clock, against the real IdP of <see cref="OAuthGate"/>.</summary>
[Trait("Category", "Network")]
[Trait("Category", "Process")]
public sealed class OAuthTokenValidatorTests(OAuthGate fixture) : IClassFixture<OAuthGate>
{
    [Fact]
    public async Task AValidatedToken_IsRememberedOnlyUntilItExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var http = new HttpClient();
        var validator = new OAuthTokenValidator(Settings(), http, time);
        var token = Tokens.Sign(fixture.Idp.SigningKey, fixture.Idp.Issuer, fixture.ResourceFor("files"), expires: time.GetUtcNow().UtcDateTime.AddMinutes(2));

        var fresh = await validator.ValidateAsync(token.AsMemory(), "files");
        var cached = validator.ValidateAsync(token.AsMemory(), "files");
        time.Advance(TimeSpan.FromMinutes(2) + OAuthTokenValidator.ClockSkew + TimeSpan.FromSeconds(1));
        var expired = await validator.ValidateAsync(token.AsMemory(), "files");

        fresh.Identity.Should().NotBeNull(fresh.Error);
        cached.IsCompletedSuccessfully.Should().BeTrue("a remembered token is not verified again");
        expired.Identity.Should().BeNull();
        expired.Error.Should().Be(OAuthErrors.Expired, "the cache forgets a token when it expires, and the gate's clock decides");
    }

    [Fact]
    public async Task ARememberedToken_HasItsAudienceCheckedOnEveryRoute_AndOnlyTheSameTokenIsRemembered()
    {
        using var http = new HttpClient();
        var validator = new OAuthTokenValidator(Settings(), http, TimeProvider.System);
        var token = Tokens.Sign(fixture.Idp.SigningKey, fixture.Idp.Issuer, fixture.ResourceFor("files"));
        (await validator.ValidateAsync(token.AsMemory(), "files")).Identity.Should().NotBeNull();

        // Served from the cache: the route's resource URL is compared without being built, so a prefix or an
        // extension of the alias must not pass for it.
        foreach (var other in new[] { "file", "files2", "filez", "Files" })
        {
            var pending = validator.ValidateAsync(token.AsMemory(), other);
            pending.IsCompletedSuccessfully.Should().BeTrue("a remembered token is not verified again");
            (await pending).Error.Should().Be(OAuthErrors.Audience, $"the token is for /mcp/files, not /mcp/{other}");
        }

        // The same characters from another string (as each request's header is) hit the cache; one character more
        // or less does not, and is verified (and refused) as a new token.
        var copy = validator.ValidateAsync(new string(token.AsSpan()).AsMemory(), "files");
        copy.IsCompletedSuccessfully.Should().BeTrue("the same token, whichever string holds it, is remembered");
        (await copy).Identity.Should().NotBeNull();
        var altered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        (await validator.ValidateAsync(altered.AsMemory(), "files")).Error.Should().Be(OAuthErrors.Signature);
        (await validator.ValidateAsync(token.AsMemory(0, token.Length - 1), "files")).Identity.Should().BeNull();
    }

    [Fact]
    public async Task Roles_AreTheMappedValuesOfEveryRoleClaim_SplitOnSpacesAndCommas()
    {
        using var http = new HttpClient();
        var settings = Settings(roleClaims: ["groups", "roles"], roleMap: null);
        var validator = new OAuthTokenValidator(settings, http, TimeProvider.System);
        var token = Tokens.Sign(fixture.Idp.SigningKey, fixture.Idp.Issuer, fixture.ResourceFor("files"), groups: ["sre", "ops,oncall"]);

        var result = await validator.ValidateAsync(token.AsMemory(), "files");

        result.Identity!.Roles.Should().Equal("sre", "ops", "oncall");
        result.Identity.Issuer.Should().Be(fixture.Idp.Issuer);
        result.Identity.ClientId.Should().Be("sre-bot");
    }

    private OAuthSettings Settings(IReadOnlyList<string>? roleClaims = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? roleMap = null) => new()
    {
        Issuer = fixture.Idp.Issuer,
        Resource = fixture.Resource,
        RoleClaims = roleClaims ?? ["groups"],
        RoleMap = roleMap,
        RequiredScopes = ["mcp"],
    };
}
