using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGate.Gateway.Tests.OAuth;

/// <summary>Issue 16: the gate as an OAuth 2.1 resource server in front of a real IdP (oidc-provider).</summary>
[Trait("Category", "Network")]
[Trait("Category", "Process")]
public sealed class OAuthResourceServerTests(OAuthGate fixture) : IClassFixture<OAuthGate>
{
    private const string DeleteCall = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"x"}}}""";

    public enum Refusal
    {
        Expired,
        NotYetValid,
        WrongAudience,
        AnotherRoutesAudience,
        WrongIssuer,
        AlgNone,
        HmacWithThePublicKey,
        UnknownKey,
        TamperedPayload,
    }

    [Fact]
    public async Task ClientCredentialsToken_FromTheIdP_CallsThrough_WithRolesFromItsGroups_AndTheAuditNamesTheClient()
    {
        var sre = await fixture.Idp.ClientCredentialsTokenAsync("sre-bot", fixture.ResourceFor("files"));
        var dev = await fixture.Idp.ClientCredentialsTokenAsync("dev-bot", fixture.ResourceFor("files"));
        await using var sreClient = await ConnectAsync(sre);
        await using var devClient = await ConnectAsync(dev);

        var admin = await sreClient.CallToolAsync("delete_file", GateClients.Args(("path", "oauth-admin.txt")));
        var read = await devClient.CallToolAsync("read_file", GateClients.Args(("path", "/public/notes.txt")));
        var write = () => devClient.CallToolAsync("delete_file", GateClients.Args(("path", "oauth-dev.txt"))).AsTask();

        admin.IsError.Should().NotBe(true, "sre → admin may do everything");
        read.IsError.Should().NotBe(true, "engineering → dev may read on files");
        (await write.Should().ThrowAsync<McpProtocolException>()).Which.Message.Should().Contain("capability_denied");
        var lines = await fixture.Gate.WaitForAuditLinesAsync(l => l.Any(IsToolCall("delete_file", "sre-bot")) && l.Any(IsToolCall("delete_file", "dev-bot")));
        var row = lines.First(IsToolCall("delete_file", "sre-bot"));
        row.GetProperty("auth").GetString().Should().Be("oauth");
        row.GetProperty("issuer").GetString().Should().Be(fixture.Idp.Issuer);
        row.GetProperty("client_id").GetString().Should().Be("sre-bot");
        row.GetProperty("credential_roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("admin");
        lines.First(IsToolCall("delete_file", "dev-bot")).GetProperty("decision").GetString().Should().Be("deny");
        string.Join('\n', lines.Select(l => l.GetRawText())).Should().NotContain(sre.Split('.')[2], "the token is never audited");
    }

    [Theory]
    [InlineData(Refusal.Expired, "expired")]
    [InlineData(Refusal.NotYetValid, "not_yet_valid")]
    [InlineData(Refusal.WrongAudience, "audience")]
    [InlineData(Refusal.AnotherRoutesAudience, "audience")]
    [InlineData(Refusal.WrongIssuer, "issuer")]
    [InlineData(Refusal.AlgNone, "signature")]
    [InlineData(Refusal.HmacWithThePublicKey, "signature")]
    [InlineData(Refusal.UnknownKey, "unknown_key")]
    [InlineData(Refusal.TamperedPayload, "signature")]
    public async Task RefusedToken_Is401InvalidToken_PointingAtTheMetadata_AndAuditedWithItsReason(Refusal refusal, string reason)
    {
        var token = await TokenForAsync(refusal);
        var before = fixture.Gate.AuditLines().Count(IsAuthFailed(null));

        using var response = await PostAsync(fixture.Gate.McpUrl("files"), token);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.Should().Contain($"resource_metadata=\"{fixture.Resource}/.well-known/oauth-protected-resource/mcp/files\"");
        challenge.Should().Contain("error=\"invalid_token\"");
        fixture.Upstream.Spy.SawToolCall("delete_file-" + refusal).Should().BeFalse();
        var lines = await fixture.Gate.WaitForAuditLinesAsync(l => l.Count(IsAuthFailed(null)) > before);
        lines.Where(IsAuthFailed(null)).Skip(before).Single().GetProperty("auth_error").GetString().Should().Be(reason);
    }

    [Fact]
    public async Task NoToken_Is401WithTheMetadataUrl_AndNoError()
    {
        using var response = await PostAsync(fixture.Gate.McpUrl("files"), token: null);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.Should().Be($"Bearer resource_metadata=\"{fixture.Resource}/.well-known/oauth-protected-resource/mcp/files\", scope=\"mcp\"");
    }

    [Fact]
    public async Task ValidTokenWithoutTheRequiredScope_Is403InsufficientScope()
    {
        var token = Tokens.Sign(fixture.Idp.SigningKey, fixture.Idp.Issuer, fixture.ResourceFor("files"), scope: null);

        using var response = await PostAsync(fixture.Gate.McpUrl("files"), token);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        challenge.Should().Contain("error=\"insufficient_scope\"").And.Contain("scope=\"mcp\"")
            .And.Contain($"resource_metadata=\"{fixture.Resource}/.well-known/oauth-protected-resource/mcp/files\"");
    }

    [Fact]
    public async Task ProtectedResourceMetadata_NamesTheRoute_TheIssuer_AndTheScopes()
    {
        using var http = new HttpClient();

        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(fixture.Gate.BaseUrl, "/.well-known/oauth-protected-resource/mcp/other")));
        using var unknown = await http.GetAsync(new Uri(fixture.Gate.BaseUrl, "/.well-known/oauth-protected-resource/mcp/nope"));

        var root = document.RootElement;
        root.GetProperty("resource").GetString().Should().Be(fixture.ResourceFor("other"));
        root.GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()).Should().Equal(fixture.Idp.Issuer);
        root.GetProperty("scopes_supported").EnumerateArray().Select(e => e.GetString()).Should().Equal("mcp");
        root.GetProperty("bearer_methods_supported").EnumerateArray().Select(e => e.GetString()).Should().Equal("header");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AClientStartingFromTheGatesUrl_FindsTheIdPThroughThe401_AndCallsWithTheTokenItGets()
    {
        using var http = new HttpClient();

        // What an MCP client does (MCP authorization spec): 401 → PRM → AS metadata → token for the PRM's resource.
        using var first = await PostAsync(fixture.Gate.McpUrl("files"), token: null);
        var metadataUrl = first.Headers.WwwAuthenticate.Single().Parameter!.Split('"')[1];
        using var prm = JsonDocument.Parse(await http.GetStringAsync(metadataUrl));
        var issuer = prm.RootElement.GetProperty("authorization_servers")[0].GetString()!;
        using var asMetadata = JsonDocument.Parse(await http.GetStringAsync(issuer + "/.well-known/openid-configuration"));
        using var tokenResponse = await http.PostAsync(asMetadata.RootElement.GetProperty("token_endpoint").GetString(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "sre-bot",
            ["client_secret"] = "sre-secret",
            ["resource"] = prm.RootElement.GetProperty("resource").GetString()!,
            ["scope"] = string.Join(' ', prm.RootElement.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString())),
        }));
        using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        await using var client = await ConnectAsync(token.RootElement.GetProperty("access_token").GetString()!);
        var tools = await client.ListToolsAsync();

        tools.Select(t => t.Name).Should().Contain("delete_file");
    }

    [Fact]
    public async Task AValidatedToken_IsStillRefusedOnARouteItIsNotFor()
    {
        var token = await fixture.Idp.ClientCredentialsTokenAsync("sre-bot", fixture.ResourceFor("files"));
        await using (var client = await ConnectAsync(token))
        {
            await client.ListToolsAsync();
        }

        // The token is now in the validated-token cache: the second route must still check its audience.
        using var response = await PostAsync(fixture.Gate.McpUrl("other"), token);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().Should().Contain("oauth-protected-resource/mcp/other");
    }

    private async Task<string> TokenForAsync(Refusal refusal)
    {
        var idp = fixture.Idp;
        var files = fixture.ResourceFor("files");
        var now = DateTime.UtcNow;
        switch (refusal)
        {
            case Refusal.Expired:
                return Tokens.Sign(idp.SigningKey, idp.Issuer, files, notBefore: now.AddMinutes(-20), expires: now.AddMinutes(-5));
            case Refusal.NotYetValid:
                return Tokens.Sign(idp.SigningKey, idp.Issuer, files, notBefore: now.AddMinutes(5), expires: now.AddMinutes(20));
            case Refusal.WrongAudience:
                return Tokens.Sign(idp.SigningKey, idp.Issuer, "https://somewhere.else.example/mcp/files");
            case Refusal.AnotherRoutesAudience:
                return await idp.ClientCredentialsTokenAsync("sre-bot", fixture.ResourceFor("other"));
            case Refusal.WrongIssuer:
                return Tokens.Sign(idp.SigningKey, "http://127.0.0.1:1/evil", files);
            case Refusal.AlgNone:
                return Tokens.Unsigned(await idp.ClientCredentialsTokenAsync("sre-bot", files));
            case Refusal.HmacWithThePublicKey:
                return Tokens.HmacWithPublicKey(idp.SigningKey, await idp.ClientCredentialsTokenAsync("dev-bot", files));
            case Refusal.UnknownKey:
                var rogue = IdpKey.Create("rogue");
                return Tokens.Sign(rogue, idp.Issuer, files);
            default:
                return IdpPeer.Tampered(await idp.ClientCredentialsTokenAsync("dev-bot", files));
        }
    }

    private Task<McpClient> ConnectAsync(string token) =>
        TestMcpClient.ConnectAsync(fixture.Gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });

    internal static async Task<HttpResponseMessage> PostAsync(Uri url, string? token, string json = DeleteCall)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static Func<JsonElement, bool> IsToolCall(string tool, string subject) => line =>
        line.GetProperty("event").GetString() == "mcp.tool_called"
        && line.GetProperty("tool").GetString() == tool
        && line.GetProperty("subject").GetString() == subject;

    private static Func<JsonElement, bool> IsAuthFailed(string? reason) => line =>
        line.GetProperty("event").GetString() == "auth.failed" && (reason is null || line.GetProperty("auth_error").GetString() == reason);
}
