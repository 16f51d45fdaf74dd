using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.OAuth;

[Trait("Category", "Network")]
[Trait("Category", "Process")]
public sealed class OAuthKeyRotationTests
{
    [Fact]
    public async Task TheIdPRotatesItsSigningKey_TokensSignedWithTheNewKeyAreAccepted_WithoutARestart()
    {
        await using var idp = await IdpPeer.StartAsync();
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await OAuthGate.StartGateAsync(idp, upstream.McpUrl);
        var resource = gate.BaseUrl.GetLeftPart(UriPartial.Authority);
        var before = await idp.ClientCredentialsTokenAsync("sre-bot", resource + "/mcp/files");
        (await ListToolsAsync(gate, before)).Should().NotBeEmpty("the gate has fetched the first key set");

        await idp.RotateKeyAsync();
        var after = await idp.ClientCredentialsTokenAsync("sre-bot", resource + "/mcp/files");
        var tools = await ListToolsAsync(gate, after);

        new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(after).Kid.Should().Be("key-2");
        tools.Should().NotBeEmpty("a token naming an unknown kid makes the gate fetch the JWKS again");
    }

    private static async Task<IList<ModelContextProtocol.Client.McpClientTool>> ListToolsAsync(RunningGate gate, string token)
    {
        await using var client = await TestMcpClient.ConnectAsync(gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        });
        return await client.ListToolsAsync();
    }
}
