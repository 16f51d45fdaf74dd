using System.Net.Http.Headers;
using System.Text;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>The caller goes away while its allowed call runs upstream: the call was decided and forwarded, so it is audited.</summary>
[Trait("Category", "Network")]
public sealed class CallerFaultTests : IDisposable
{
    private readonly ManualResetEventSlim _release = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CallerDisconnectsWhileTheToolRuns_TheCallIsStillAudited(bool jsonResponses)
    {
        var slow = new TestTool("slow_read")
        {
            Description = "Reads slowly.",
            ReadOnlyHint = true,
            Respond = _ =>
            {
                _started.TrySetResult();
                _release.Wait(TimeSpan.FromSeconds(30));
                return "slow result";
            },
        };
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026, ExtraTools = [slow], JsonResponses = jsonResponses });
        await using var gate = await RunningGate.StartAsync(GatePolicies.Standard(upstream.McpUrl));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, gate.McpUrl("files"))
        {
            Content = new StringContent(FaultClient.ToolCall(41, "slow_read"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatePolicies.AliceToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var hangUp = new CancellationTokenSource();

        var call = http.SendAsync(request, hangUp.Token);
        await _started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await hangUp.CancelAsync();
        await FluentActions.Awaiting(() => call).Should().ThrowAsync<OperationCanceledException>();
        _release.Set();

        var line = await AuditWait.ForLineAsync(gate, l => l.GetProperty("tool").GetString() == "slow_read");
        line.GetProperty("decision").GetString().Should().Be("allow");
    }
}
