using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// gateway.md "The tool catalog": an upstream that changes its tools at runtime and says so with
/// <c>notifications/tools/list_changed</c> (on a 2025-era listen stream through the gate) is rediscovered, so tools
/// added later are listed, decided and classified like the rest.
/// </summary>
[Trait("Category", "Network")]
public sealed class ToolListChangedTests
{
    private static readonly TestTool s_purgeCache = new("purge_cache")
    {
        Description = "Purges every cached entry.",
        ReadOnlyHint = false,
        DestructiveHint = true,
    };

    private static readonly TestTool s_countLines = new("count_lines")
    {
        Description = "Counts the lines of a file.",
        ReadOnlyHint = true,
        InputProperties = ["path"],
    };

    private static readonly TestTool s_syncData = new("sync_data")
    {
        Description = "Shows what a sync would change.",
        ReadOnlyHint = true,
    };

    private static readonly TestTool s_syncDataDestructive = s_syncData with
    {
        Description = "Syncs the mirror, deleting what the source no longer has.",
        ReadOnlyHint = false,
        DestructiveHint = true,
    };

    [Fact]
    public async Task ToolAddedAtRuntime_ListChangedReachesTheClient_AndAReadersNextListDoesNotShowAnAddedWriteTool()
    {
        await using var scenario = await Scenario.StartAsync();

        await scenario.AddToolAndWaitForNotificationAsync(s_purgeCache);
        var bobTools = (await scenario.Bob.ListToolsAsync()).Select(t => t.Name).ToList();
        await using var alice = await GateClients.ConnectAsync(scenario.Gate, GatePolicies.AliceToken, UpstreamEra.Stateful2025);
        var aliceTools = (await alice.ListToolsAsync()).Select(t => t.Name).ToList();

        bobTools.Should().NotContain("purge_cache").And.Contain("read_file");
        aliceTools.Should().Contain("purge_cache", "the upstream does list it; only the reader must not see it");
    }

    [Fact]
    public async Task ReadAnnotatedToolAddedAtRuntime_NeverListedToTheCaller_IsAllowedForAReader()
    {
        await using var scenario = await Scenario.StartAsync();

        await scenario.AddToolAndWaitForNotificationAsync(s_countLines);
        var result = await scenario.Bob.CallToolAsync("count_lines", GateClients.Args(("path", "/public/notes.txt")));

        result.IsError.Should().NotBe(true);
        scenario.Upstream.Spy.ExecutedToolCount("count_lines").Should().Be(1);
        scenario.Upstream.Spy.Requests.Should().NotContain(
            r => r.Method == "tools/list" && r.Header("Mcp-Session-Id") == scenario.Gate.UpstreamSessionId(scenario.Bob.SessionId!),
            "bob never listed the tools: the gate classified count_lines from its own discovery");
    }

    [Fact]
    public async Task DestructiveToolAddedAtRuntime_IsDeniedForAReader_ClassifiedFromItsAnnotations_AndNeverExecuted()
    {
        await using var scenario = await Scenario.StartAsync();

        await scenario.AddToolAndWaitForNotificationAsync(s_purgeCache);
        var call = () => scenario.Bob.CallToolAsync("purge_cache").AsTask();

        ((int)(await call.Should().ThrowAsync<McpProtocolException>()).Which.ErrorCode).Should().Be(-32003);
        scenario.Upstream.Spy.SawToolCall("purge_cache").Should().BeFalse();
        scenario.Upstream.Spy.ExecutedToolCount("purge_cache").Should().Be(0);
        var line = scenario.Gate.AuditLines().Should().ContainSingle(l => l.GetProperty("tool").GetString() == "purge_cache").Subject;
        line.GetProperty("result").GetString().Should().Be("capability_denied");
        line.GetProperty("classification_kind").GetString().Should().Be("write", "the gate knew the tool, it was not decided as unknown");
        line.GetProperty("classification_source").GetString().Should().Be("annotation");
    }

    [Fact]
    public async Task ToolRedefinedAsDestructiveWhileADiscoveryIsInFlight_IsDeniedForAReader_NotDecidedOnItsOldDefinition()
    {
        await using var scenario = await Scenario.StartAsync(s_syncData);

        using (var hold = scenario.Upstream.HoldToolsListAnswers())
        {
            // A first change starts the gate's rediscovery, whose answer is computed and then held.
            await scenario.AddToolAndWaitForNotificationAsync(s_countLines);
            await hold.Held.WaitAsync(TimeSpan.FromSeconds(10));

            // The second change arrives while that discovery, which cannot know of it, is still in flight.
            scenario.Upstream.ReplaceTool(s_syncDataDestructive);
            await scenario.WaitForNotificationAsync();
        }

        var call = () => scenario.Bob.CallToolAsync("sync_data").AsTask();

        ((int)(await call.Should().ThrowAsync<McpProtocolException>()).Which.ErrorCode).Should().Be(-32003);
        scenario.Upstream.Spy.ExecutedToolCount("sync_data").Should().Be(0);
    }

    /// <summary>A 2025-era upstream and gate, the startup discovery done, and bob connected with his listen stream open.</summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private readonly SemaphoreSlim _listChanged = new(0);
        private IAsyncDisposable? _registration;

        private Scenario(TestUpstream upstream, RunningGate gate)
        {
            Upstream = upstream;
            Gate = gate;
        }

        public TestUpstream Upstream { get; }

        public RunningGate Gate { get; }

        public McpClient Bob { get; private set; } = null!;

        public static async Task<Scenario> StartAsync(params TestTool[] extraTools)
        {
            // Resumable: the listen stream opens with a priming event, so the test knows when notifications can reach it.
            var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025, Resumable = true, ExtraTools = extraTools });
            var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
            var scenario = new Scenario(upstream, gate);

            // The startup discovery must be over: a later one is what the notification has to trigger.
            await gate.CatalogReadyAsync();
            scenario.Bob = await GateClients.ConnectAsync(gate, GatePolicies.BobToken, UpstreamEra.Stateful2025);
            scenario._registration = scenario.Bob.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
            {
                scenario._listChanged.Release();
                return ValueTask.CompletedTask;
            });
            await upstream.Spy.WaitForListenStreamAsync(gate.UpstreamSessionId(scenario.Bob.SessionId!));
            return scenario;
        }

        /// <summary>
        /// Adds the tool and returns once bob has the notification. The gate saw it first: it relays the listen stream
        /// and starts its rediscovery before the bytes go on to the client.
        /// </summary>
        public Task AddToolAndWaitForNotificationAsync(TestTool tool)
        {
            Upstream.AddTool(tool);
            return WaitForNotificationAsync();
        }

        /// <summary>Returns once bob has one more <c>notifications/tools/list_changed</c> than before.</summary>
        public async Task WaitForNotificationAsync()
        {
            if (!await _listChanged.WaitAsync(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException("no notifications/tools/list_changed reached the client within 10 s");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_registration is not null)
            {
                await _registration.DisposeAsync();
            }

            if (Bob is not null)
            {
                await Bob.DisposeAsync();
            }

            await Gate.DisposeAsync();
            await Upstream.DisposeAsync();
            _listChanged.Dispose();
        }
    }
}
