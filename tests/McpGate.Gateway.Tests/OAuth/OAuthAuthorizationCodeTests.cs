using System.Text.Json;
using System.Web;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;

namespace McpGate.Gateway.Tests.OAuth;

/// <summary>
/// Authorization code + PKCE, headless, with the official TypeScript SDK client (tests/clients/typescript/oauth-code-client.mjs):
/// from the gate's URL alone to the 401, the Protected Resource Metadata, the IdP's metadata, its login and consent
/// pages (submitted over HTTP as the user), the token and calls through the gate, where the user's groups decide.
/// The C# SDK client (its <see cref="ClientOAuthOptions"/>) does the same.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class OAuthAuthorizationCodeTests
{
    [Fact]
    public async Task TypeScriptSdkClient_SignsTheUserInWithCodeAndPkce_AndTheUsersGroupsDecide()
    {
        await using var idp = await IdpPeer.StartAsync();
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await OAuthGate.StartGateAsync(idp, upstream.McpUrl);

        // alice is in the IdP's sre group (→ admin), bob in engineering (→ dev: read tools on files only).
        var results = await Task.WhenAll(SignInAndCallAsync(gate, "alice"), SignInAndCallAsync(gate, "bob"));
        var (alice, bob) = (results[0], results[1]);

        alice.GetProperty("tools").EnumerateArray().Select(t => t.GetString()).Should().Contain("delete_file");
        alice.GetProperty("read").GetString().Should().Be("ok");
        alice.GetProperty("delete").GetString().Should().Be("ok", "alice is in the sre group → admin");
        bob.GetProperty("read").GetString().Should().Be("ok", "bob is in engineering → dev may read on files");
        bob.GetProperty("delete").GetString().Should().StartWith("refused").And.Contain("capability_denied");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(1, "only alice's delete reaches the upstream");

        var lines = await gate.WaitForAuditLinesAsync(l => l.Count(IsDelete) == 2);
        var aliceRow = lines.Where(IsDelete).Single(line => line.GetProperty("subject").GetString() == "alice");
        aliceRow.GetProperty("decision").GetString().Should().Be("allow");
        aliceRow.GetProperty("auth").GetString().Should().Be("oauth");
        aliceRow.GetProperty("client_id").GetString().Should().Be(IdpPeer.CodeClientId, "the user's token names the app it was issued to");
        aliceRow.GetProperty("issuer").GetString().Should().Be(idp.Issuer);
        lines.Where(IsDelete).Single(line => line.GetProperty("subject").GetString() == "bob").GetProperty("decision").GetString().Should().Be("deny");
    }

    [Fact]
    public async Task CSharpSdkClient_SignsTheUserInWithCodeAndPkce_AndTheUsersGroupsDecide()
    {
        await using var idp = await IdpPeer.StartAsync();
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await OAuthGate.StartGateAsync(idp, upstream.McpUrl);
        var signIns = 0;
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = gate.McpUrl("files"),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                // The SDK authenticates at the token endpoint with client_secret_basic even without a secret (an empty
                // one), which a public client registered with "none" is refused for; so it is the confidential client.
                ClientId = IdpPeer.ConfidentialCodeClientId,
                ClientSecret = IdpPeer.ConfidentialCodeClientSecret,
                RedirectUri = IdpPeer.CodeRedirectUri,
                AuthorizationCallbackHandler = async (context, ct) =>
                {
                    // Where an app opens the browser and listens on the redirect URI, the test is the user at the IdP.
                    signIns++;
                    var redirect = HttpUtility.ParseQueryString((await IdpPeer.SignInAsync(context.AuthorizationUri, "bob", ct)).Query);
                    return new AuthorizationResult { Code = redirect["code"], State = redirect["state"], Iss = redirect["iss"] };
                },
            },
        });

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = TestMcpClient.LegacyProtocolVersion }, cancellationToken: timeout.Token);
        var read = await client.CallToolAsync("read_file", GateClients.Args(("path", "/public/notes.txt")), cancellationToken: timeout.Token);
        var delete = () => client.CallToolAsync("delete_file", GateClients.Args(("path", "code.txt")), cancellationToken: timeout.Token).AsTask();

        signIns.Should().Be(1, "the client signs the user in once and reuses the token");
        read.IsError.Should().NotBe(true, "bob is in engineering → dev may read on files");
        (await delete.Should().ThrowAsync<McpProtocolException>()).Which.Message.Should().Contain("capability_denied");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
        var lines = await gate.WaitForAuditLinesAsync(l => l.Any(IsDelete));
        var row = lines.Single(IsDelete);
        row.GetProperty("subject").GetString().Should().Be("bob");
        row.GetProperty("decision").GetString().Should().Be("deny");
        row.GetProperty("client_id").GetString().Should().Be(IdpPeer.ConfidentialCodeClientId);
    }

    private static bool IsDelete(JsonElement line) =>
        line.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String && tool.GetString() == "delete_file";

    private static async Task<JsonElement> SignInAndCallAsync(RunningGate gate, string login)
    {
        var (exitCode, stdout, stderr) = await NodePeers.RunNodeAsync("oauth-code-client.mjs", new Dictionary<string, string>
        {
            ["GATE_URL"] = gate.McpUrl("files").ToString(),
            ["CLIENT_ID"] = IdpPeer.CodeClientId,
            ["REDIRECT_URI"] = IdpPeer.CodeRedirectUri.ToString(),
            ["LOGIN"] = login,
        }, TimeSpan.FromMinutes(2));

        exitCode.Should().Be(0, $"the code flow for {login} must complete:\n{stdout}{stderr}");
        using var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]);
        return result.RootElement.Clone();
    }
}
