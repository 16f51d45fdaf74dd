using CsCheck;
using Xunit.Abstractions;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// The one invariant, checked with generated hostile requests against the running gate: no call the policy denies
/// ever reaches the upstream (judged on the bytes the upstream received and on what ran inside it), and every
/// request is answered — a JSON-RPC message or an HTTP error, never a 5xx, never a hang. Seeded and reproducible:
/// a failure prints the seed; <c>MCPGATE_FUZZ_SEED</c> replays it; <c>MCPGATE_FUZZ_REQUESTS</c> makes the run long
/// (<c>fuzz/run-property.sh --long</c>).
/// </summary>
[Trait("Category", "Network")]
[Trait("Category", "Slow")]
public sealed class GateInvariantPropertyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private HostileGate _gate = null!;

    public async Task InitializeAsync() => _gate = await HostileGate.StartAsync();

    public async Task DisposeAsync() => await _gate.DisposeAsync();

    [Fact]
    public async Task HostileRequests_NeverReachTheUpstreamWhenDenied_AndAlwaysGetAnAnswer()
    {
        await HostileGen.Request.SampleAsync(
            async request =>
            {
                if (await _gate.CheckAsync(request) is { } violation)
                {
                    throw new InvalidOperationException(violation);
                }
            },
            writeLine: output.WriteLine,
            seed: FuzzSettings.Seed,
            iter: FuzzSettings.Requests,
            time: FuzzSettings.Seconds,
            threads: FuzzSettings.Threads,
            print: static r => r.ToString());

        output.WriteLine($"{_gate.Checked} requests, {_gate.Forwarded} reached the upstream, {_gate.ExecutedAllowedCalls} allowed tool calls ran there");
        _gate.ExecutedAllowedCalls.Should().BeGreaterThan(0, "some generated calls are allowed and run, or the run proves nothing");
    }
}
