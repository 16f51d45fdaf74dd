using McpGate.Gateway.Configuration;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using McpGate.Testing.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>
/// The config file is replaced by something that does not load while the gate serves: the last good policy stays
/// in force (no denial turns into an allow, no allow into a 5xx), <c>/readyz</c> counts the refusal, the console
/// says what is wrong.
/// </summary>
[Trait("Category", "Network")]
public sealed class ConfigFaultTests
{
    public static TheoryData<string, string> BrokenConfigs => new()
    {
        { "not JSON", "{ this is not json" },
        { "empty", "" },
        { "truncated", "{ \"mcpServers\": { \"files\": { \"url\": " },
        { "ACL removed", "{ \"mcpServers\": { \"files\": { \"url\": \"http://127.0.0.1:1/mcp\" } }, \"serverAuth\": { \"acl\": { \"default\": \"allow\", \"rolez\": {} } } }" },
    };

    [Theory]
    [MemberData(nameof(BrokenConfigs))]
    public async Task ConfigReplacedByOneThatDoesNotLoad_TheLastGoodPolicyStaysInForce(string what, string content)
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        var console = new CollectingLoggerProvider();
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl), builder => builder.Logging.AddProvider(console));
        var store = gate.Services.GetRequiredService<GateStateStore>();
        var revision = store.Current.Revision;
        var refused = store.NextRefusalAsync();

        await File.WriteAllTextAsync(gate.ConfigPath, content);
        await refused;
        var denied = await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(31, "delete_file"));
        var allowed = await FaultClient.PostAsync(gate, GatePolicies.BobToken, FaultClient.ToolCall(32, "read_file"));
        var readiness = await FaultClient.ReadinessAsync(gate);

        denied.Error.Code.Should().Be(-32003, what);
        allowed.Body.Should().Contain("remember the milk");
        upstream.Spy.ExecutedToolCount("delete_file").Should().Be(0);
        store.Current.Revision.Should().Be(revision);
        readiness.GetProperty("policy").GetProperty("refused_reloads").GetInt64().Should().BeGreaterThan(0);
        console.Logger.Entries.Should().Contain(e => e.EventName == "PolicyReloadRefused" && e.Message.Contains("servers.json", StringComparison.Ordinal));
    }
}
