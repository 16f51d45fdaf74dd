using System.Collections.Concurrent;
using FluentAssertions;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary>
/// The real @modelcontextprotocol/server-everything as a shared stdio upstream: what a stdio server sends on its own
/// reaches the right session through the gate (progress on the call's event stream, a sampling request to the one
/// session with a call in flight).
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Slow")]
public sealed class StdioEverythingTests : IAsyncLifetime
{
    private RunningGate _gate = null!;

    public async Task InitializeAsync()
    {
        await StdioPeers.EnsureInstalledAsync();
        _gate = await RunningGate.StartAsync(StdioPeers.Config("node", [StdioPeers.Script("server-everything"), "stdio"]));
    }

    public Task DisposeAsync() => _gate.DisposeAsync().AsTask();

    [Fact]
    public async Task Progress_of_a_long_call_reaches_the_caller_with_its_own_token()
    {
        await using var client = await StdioPeers.ConnectAsync(_gate, GatePolicies.AliceToken);
        var progress = new Collector();

        var result = await client.CallToolAsync(
            "trigger-long-running-operation",
            new Dictionary<string, object?> { ["duration"] = 1, ["steps"] = 3 },
            progress);

        result.IsError.Should().NotBe(true);

        // The SDK client dispatches notifications apart from answers and drops progress that lands after its call has
        // ended, so on a loaded machine the last step may be lost on the client's side: every step is not guaranteed.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (progress.Values.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        progress.Values.Should().NotBeEmpty("the steps' notifications/progress came back under the caller's token")
            .And.HaveCountLessThanOrEqualTo(3).And.OnlyContain(v => v.Progress >= 1 && v.Progress <= 3);
    }

    [Fact]
    public async Task A_sampling_request_goes_to_the_one_session_whose_call_is_in_flight()
    {
        await using var bystander = await StdioPeers.ConnectAsync(_gate, GatePolicies.AliceToken);
        await using var client = await TestMcpClient.ConnectAsync(_gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + GatePolicies.AliceToken },
            AnswerSampling = prompt => "sampled: " + prompt,
        });

        var result = await client.CallToolAsync("trigger-sampling-request", new Dictionary<string, object?> { ["prompt"] = "hello gate" });

        result.IsError.Should().NotBe(true);
        string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)).Should().Contain("test-model").And.Contain("sampled: ", "the session answered the child's sampling request");
    }

    private sealed class Collector : IProgress<ProgressNotificationValue>
    {
        public ConcurrentQueue<ProgressNotificationValue> Values { get; } = new();

        public void Report(ProgressNotificationValue value) => Values.Enqueue(value);
    }
}
