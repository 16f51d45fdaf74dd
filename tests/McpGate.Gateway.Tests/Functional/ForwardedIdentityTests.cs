using System.Net;
using System.Net.Http.Headers;
using System.Text;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Functional;

[Trait("Category", "Network")]
public sealed class ForwardedIdentityTests
{
    private static string Policy(Uri upstream, string trusted) => $$"""
    {
      "mcpServers": { "files": { "url": "{{upstream}}" } },
      "serverAuth": {
        "providers": ["forwarded"],
        "forwarded": { "header": "x-forwarded-user", "groups_header": "x-forwarded-groups", "trustedProxies": ["{{trusted}}"] },
        "acl": { "default": "deny", "roles": { "dev": [ { "server": "*", "access": "*" } ] } }
      }
    }
    """;

    [Fact]
    public async Task ForwardedUserFromAnUntrustedAddress_IsNotBelieved()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl, "10.0.0.0/8"));

        var response = await PostWithForwardedUserAsync(gate, "alice", "dev");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        upstream.Spy.SawToolCall("delete_file").Should().BeFalse();
    }

    [Fact]
    public async Task ForwardedUserFromATrustedProxy_IsBelieved_AndTheHeadersAreStrippedBeforeForwarding()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(Policy(upstream.McpUrl, "127.0.0.1/32"));
        await using var client = await TestMcpClient.ConnectAsync(gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["x-forwarded-user"] = "alice", ["x-forwarded-groups"] = "dev, ops" },
        });

        var tools = await client.ListToolsAsync();

        tools.Should().HaveCount(upstream.ToolNames.Count);
        upstream.Spy.Requests.Should().OnlyContain(r => r.Header("x-forwarded-user") == null && r.Header("x-forwarded-groups") == null);
    }

    private static async Task<HttpResponseMessage> PostWithForwardedUserAsync(RunningGate gate, string user, string groups)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, gate.McpUrl("files"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"x"}}}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-forwarded-user", user);
        request.Headers.Add("x-forwarded-groups", groups);
        return await http.SendAsync(request);
    }
}
