using System.Net;
using McpGate.Gateway.Configuration;
using McpGate.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;

namespace McpGate.Gateway.Tests.Functional;

[Trait("Category", "Network")]
public sealed class HotReloadTests
{
    [Fact]
    public async Task ValidConfigChange_IsInForceForTheNextRequest()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);
        var store = gate.Services.GetRequiredService<GateStateStore>();
        var reloaded = store.NextVersionAsync();

        // bob becomes a dev.
        await File.WriteAllTextAsync(gate.ConfigPath, GatePolicies.Standard(upstream.McpUrl).Replace("\"bob\": { \"roles\": [\"reader\"] }", "\"bob\": { \"roles\": [\"dev\"] }", StringComparison.Ordinal));
        await reloaded;
        var result = await bob.CallToolAsync("delete_file", GateClients.Args(("path", "x")));

        result.IsError.Should().NotBe(true);
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(1);
    }

    [Fact]
    public async Task InvalidConfigChange_IsRefused_AndTheLastGoodPolicyStaysInForce()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        await using var bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateless2026);
        var store = gate.Services.GetRequiredService<GateStateStore>();
        var refused = store.NextRefusalAsync();

        await File.WriteAllTextAsync(gate.ConfigPath, GatePolicies.Standard(upstream.McpUrl).Replace("\"access\": \"read\", \"tools\"", "\"acess\": \"read\", \"tools\"", StringComparison.Ordinal));
        await refused;
        var denied = () => bob.CallToolAsync("delete_file", GateClients.Args(("path", "x"))).AsTask();
        var allowed = await bob.CallToolAsync("read_file", GateClients.Args(("path", "/public/notes.txt")));

        await denied.Should().ThrowAsync<McpProtocolException>();
        allowed.IsError.Should().NotBe(true);
        store.LastReloadError.Should().Contain("acess");
    }

    [Fact]
    public async Task TokenRemovedFromTheConfig_StopsWorkingWithTheReload()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        var store = gate.Services.GetRequiredService<GateStateStore>();
        var call = Faults.FaultClient.ToolCall(1, "read_file");

        // Twice, so the second answer comes from the gate's cache of tokens that matched.
        (await Faults.FaultClient.PostAsync(gate, GatePolicies.BobToken, call)).Status.Should().Be(HttpStatusCode.OK);
        (await Faults.FaultClient.PostAsync(gate, GatePolicies.BobToken, call)).Status.Should().Be(HttpStatusCode.OK);

        var reloaded = store.NextVersionAsync();
        await File.WriteAllTextAsync(gate.ConfigPath, GatePolicies.Standard(upstream.McpUrl).Replace($"\"{GatePolicies.BobToken}\": \"bob\",", string.Empty, StringComparison.Ordinal));
        await reloaded;

        (await Faults.FaultClient.PostAsync(gate, GatePolicies.BobToken, call)).Status.Should().Be(HttpStatusCode.Unauthorized);
        (await Faults.FaultClient.PostAsync(gate, GatePolicies.AliceToken, call)).Status.Should().Be(HttpStatusCode.OK);
    }
}
