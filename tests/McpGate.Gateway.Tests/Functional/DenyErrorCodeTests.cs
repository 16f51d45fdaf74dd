using McpGate.Testing;
using ModelContextProtocol;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>gateway.md §1.2 step 7: <c>gateway.denyErrorCode</c> is the code a client sees for a denial.</summary>
[Trait("Category", "Network")]
public sealed class DenyErrorCodeTests
{
    [Fact]
    public async Task ConfiguredDenyErrorCode_IsTheCodeTheSdkClientSees()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl, "\"denyErrorCode\": -32010"));
        await using var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);

        var call = () => bob.CallToolAsync("delete_file", GateClients.Args(("path", "x"))).AsTask();

        var denied = (await call.Should().ThrowAsync<McpProtocolException>()).Which;
        ((int)denied.ErrorCode).Should().Be(-32010);
        denied.Message.Should().Contain("capability_denied");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
    }
}
