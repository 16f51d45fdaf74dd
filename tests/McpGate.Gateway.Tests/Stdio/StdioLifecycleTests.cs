using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FluentAssertions;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Stdio;
using McpGate.Gateway.Telemetry;
using McpGate.Gateway.Tests.Faults;
using McpGate.Gateway.Tests.Functional;
using McpGate.Gateway.Tests.Telemetry;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary>
/// A stdio child's life under the gate, with tests/peers/stdio/scripted-server.mjs (which prints a non-JSON-RPC line
/// first, so every test also runs past a line the gate must drop): exits mid-call, restarts, its environment, and
/// what is left running when the gate stops.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Slow")]
public sealed class StdioLifecycleTests
{
    private static readonly string s_script = Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs");

    private static Task<RunningGate> StartAsync(string? stdio = null, IReadOnlyDictionary<string, string>? env = null) =>
        RunningGate.StartAsync(StdioPeers.Config("node", [s_script], stdio, env));

    private static async Task<string> CallAsync(McpClient client, string tool, string? message = null)
    {
        var result = await client.CallToolAsync(tool, new Dictionary<string, object?> { ["message"] = message });
        return result.Content.OfType<TextContentBlock>().Single().Text;
    }

    [Fact]
    public async Task A_child_that_exits_mid_call_fails_that_call_at_once_and_the_next_call_restarts_it()
    {
        await using var gate = await StartAsync();
        await using var client = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        (await CallAsync(client, "echo", "before")).Should().Be("before");

        var watch = Stopwatch.StartNew();
        var crash = async () => await client.CallToolAsync("crash");
        await crash.Should().ThrowAsync<McpException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10), "the call fails when the child exits, not at a timeout");

        (await CallAsync(client, "echo", "after")).Should().Be("after");
        using var http = new HttpClient();
        var ready = JsonDocument.Parse(await http.GetStringAsync(new Uri(gate.BaseUrl, "/readyz"))).RootElement.GetProperty("upstreams").GetProperty("files");
        ready.GetProperty("transport").GetString().Should().Be("stdio");
        ready.GetProperty("reachable").GetBoolean().Should().BeTrue();
        ready.GetProperty("processes").GetInt32().Should().Be(1);
        ready.GetProperty("restarts").GetInt32().Should().Be(1, "the child was restarted once");
        ready.GetProperty("last_error").ValueKind.Should().Be(JsonValueKind.Null, "the restarted child initialized");
    }

    [Fact]
    public async Task A_line_that_is_not_JSON_RPC_is_dropped_and_logged_and_stderr_goes_to_the_log_tagged_with_the_alias()
    {
        var console = new McpGate.Testing.Logging.CollectingLoggerProvider();
        await using var gate = await RunningGate.StartAsync(
            StdioPeers.Config("node", [s_script]), builder => builder.Logging.AddProvider(console));
        await using var client = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);

        (await CallAsync(client, "echo", "still served")).Should().Be("still served");

        var entries = console.Logger.Entries;
        entries.Should().Contain(e => e.EventName == "StdioLineDropped" && e.Message.Contains("'files'") && e.Message.Contains("not JSON"));
        entries.Should().Contain(e => e.EventName == "StdioStderr" && e.Message.Contains("'files'") && e.Message.Contains("scripted-server: started"));
    }

    [Fact]
    public async Task The_child_gets_a_minimal_environment_and_its_configured_env_never_the_gates_secrets()
    {
        Environment.SetEnvironmentVariable("MCPGATE_TEST_GATE_SECRET", "s3cret-of-the-gate");
        try
        {
            await using var gate = await StartAsync(env: new Dictionary<string, string> { ["GREETING"] = "${MCPGATE_TEST_UNSET:-hello}" });
            await using var client = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);

            var env = JsonSerializer.Deserialize<Dictionary<string, string>>(await CallAsync(client, "env"))!;

            env.Should().ContainKey("PATH");
            env.Should().Contain("GREETING", "hello");
            env.Should().NotContainKey("MCPGATE_TEST_GATE_SECRET");
            env.Values.Should().NotContain("s3cret-of-the-gate");
        }
        finally
        {
            Environment.SetEnvironmentVariable("MCPGATE_TEST_GATE_SECRET", null);
        }
    }

    [Fact]
    public async Task Stopping_the_gate_ends_the_child_and_the_process_it_started()
    {
        int child, grandchild;
        await using (var gate = await StartAsync())
        {
            await using var client = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
            grandchild = int.Parse(await CallAsync(client, "spawn"), System.Globalization.CultureInfo.InvariantCulture);
            child = JsonDocument.Parse(await CallAsync(client, "pid")).RootElement.GetProperty("pid").GetInt32();
            ProcessTree.IsAlive(child).Should().BeTrue();
            ProcessTree.IsAlive(grandchild).Should().BeTrue();
        }

        // A signal is delivered a moment after it is sent.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while ((ProcessTree.IsAlive(child) || ProcessTree.IsAlive(grandchild)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        ProcessTree.IsAlive(child).Should().BeFalse("the gate ends its children when it stops");
        ProcessTree.IsAlive(grandchild).Should().BeFalse("nor is a grandchild left running as an orphan");
    }

    [Fact]
    public async Task A_shared_child_serves_many_sessions_each_getting_its_own_answers()
    {
        await using var gate = await StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken)));
        try
        {
            var calls = clients.SelectMany((client, session) => Enumerable.Range(0, 20).Select(async call =>
            {
                var message = $"session {session} call {call}";
                return (message, answer: await CallAsync(client, call % 3 == 0 ? "slow" : "echo", message));
            }));

            var answers = await Task.WhenAll(calls);

            answers.Should().OnlyContain(a => a.answer == a.message || a.answer == "slow done");
            gate.Services.GetStdio().Peek("files")!.RunningProcesses.Should().Be(1);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Per_session_children_are_capped_and_the_caller_beyond_the_cap_is_told_why()
    {
        await using var gate = await StartAsync(stdio: """{ "sharing": "per-session", "maxProcesses": 2 }""");
        using (var http = new HttpClient())
        {
            // Before any session started a child, /readyz reports the configured mode (it said "shared" once).
            var ready = JsonDocument.Parse(await http.GetStringAsync(new Uri(gate.BaseUrl, "/readyz"))).RootElement.GetProperty("upstreams").GetProperty("files");
            ready.GetProperty("sharing").GetString().Should().Be("per-session");
        }

        await using var first = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        await using var second = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        var pids = new[] { await CallAsync(first, "pid"), await CallAsync(second, "pid") };
        pids.Distinct().Should().HaveCount(2, "each session has a child of its own");

        var third = async () => await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);

        (await third.Should().ThrowAsync<Exception>()).Which.ToString().Should().Contain("maxProcesses");
        gate.Services.GetStdio().Peek("files")!.RunningProcesses.Should().Be(2, "nothing was started for the refused session");
    }

    [Fact]
    public async Task A_reload_that_removes_the_server_ends_its_child_and_the_process_it_started()
    {
        await using var gate = await StartAsync();
        await using var client = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        var grandchild = int.Parse(await CallAsync(client, "spawn"), CultureInfo.InvariantCulture);
        var child = Pid(await CallAsync(client, "pid"));
        var reloaded = gate.Services.GetRequiredService<GateStateStore>().NextVersionAsync();

        // "files" becomes "notes": the server the child runs for is gone, and no request will ever name it again.
        await File.WriteAllTextAsync(gate.ConfigPath, StdioPeers.Config("node", [s_script]).Replace("\"files\": {", "\"notes\": {", StringComparison.Ordinal));
        await reloaded;

        (await StdioPeers.UntilAsync(() => !ProcessTree.IsAlive(child) && !ProcessTree.IsAlive(grandchild)))
            .Should().BeTrue("a removed server's child and what it started are stopped, as when the gate stops");
        gate.Services.GetStdio().Started.Should().BeEmpty("the removed upstream is forgotten");
    }

    [Fact]
    public async Task A_reload_that_changes_how_the_server_starts_lets_the_call_in_flight_finish_then_ends_the_old_child()
    {
        using var directory = new TempDirectory();
        var release = directory.Combine("release");
        await using var gate = await StartAsync();
        await using var first = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        var old = Pid(await CallAsync(first, "pid"));
        var held = CallAsync(first, "slow", "hold:" + release);
        (await StdioPeers.UntilAsync(() => File.Exists(release + ".held"))).Should().BeTrue("the held call reached the child");
        var reloaded = gate.Services.GetRequiredService<GateStateStore>().NextVersionAsync();

        await File.WriteAllTextAsync(gate.ConfigPath, StdioPeers.Config("node", [s_script], env: new Dictionary<string, string> { ["GENERATION"] = "2" }));
        await reloaded;

        // A new session is served by a child started the new way while the old child still works on its call.
        await using var second = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        JsonSerializer.Deserialize<Dictionary<string, string>>(await CallAsync(second, "env"))!.Should().Contain("GENERATION", "2");
        Pid(await CallAsync(second, "pid")).Should().NotBe(old);
        ProcessTree.IsAlive(old).Should().BeTrue("a call is in flight on the old child");

        await File.WriteAllTextAsync(release, "");
        (await held).Should().Be("released", "the old child's stdin stays open until its call in flight has ended");
        (await StdioPeers.UntilAsync(() => !ProcessTree.IsAlive(old))).Should().BeTrue("then the old child is stopped");
    }

    private static int Pid(string answer) => JsonDocument.Parse(answer).RootElement.GetProperty("pid").GetInt32();
}

[Trait("Category", "Process")]
public sealed class StdioIdleTests
{
    private static readonly string s_script = Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs");

    [Fact]
    public async Task A_per_session_child_idle_past_its_timeout_is_ended_with_its_session()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gate = await RunningGate.StartAsync(
            StdioPeers.Config("node", [s_script], """{ "sharing": "per-session", "idleTimeout": "1m" }"""),
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        await using var client = await StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        var result = await client.CallToolAsync("pid");
        var pid = JsonDocument.Parse(result.Content.OfType<TextContentBlock>().Single().Text).RootElement.GetProperty("pid").GetInt32();
        var upstream = gate.Services.GetStdio().Peek("files")!;

        time.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(200);
        upstream.RunningProcesses.Should().Be(1, "not idle for a minute yet");

        time.Advance(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((ProcessTree.IsAlive(pid) || upstream.SessionCount > 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        ProcessTree.IsAlive(pid).Should().BeFalse("the idle session's child was ended");
        upstream.SessionCount.Should().Be(0);
        var next = async () => await client.CallToolAsync("pid");
        await next.Should().ThrowAsync<Exception>("the session is gone; the client must initialize again");
    }

    [Fact]
    public async Task A_per_session_child_that_does_not_answer_initialize_in_time_is_ended_with_the_process_it_started()
    {
        using var directory = new TempDirectory();
        var started = directory.Combine("started.jsonl");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gate = await RunningGate.StartAsync(
            StdioPeers.Config("node", [s_script, "--hang-initialize", started], """{ "sharing": "per-session", "startTimeout": "5s" }"""),
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        var connect = StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);

        // The child is up with its grandchild and will never answer initialize; then the clock passes startTimeout.
        (await StdioPeers.UntilAsync(() => File.Exists(started) && TempDirectory.ReadLines(started).Length > 0)).Should().BeTrue("the child started");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!connect.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(6));
            await Task.WhenAny(connect, Task.Delay(100));
        }

        var refused = async () => await connect;
        await refused.Should().ThrowAsync<Exception>("the session is refused");
        var pids = TempDirectory.ReadLines(started).Select(line => JsonDocument.Parse(line).RootElement)
            .SelectMany(p => new[] { p.GetProperty("pid").GetInt32(), p.GetProperty("grandchild").GetInt32() }).ToList();
        try
        {
            (await StdioPeers.UntilAsync(() => !pids.Any(ProcessTree.IsAlive))).Should().BeTrue("a child that never became a session is stopped with what it started");
            gate.Services.GetStdio().Peek("files")!.SessionCount.Should().Be(0);
        }
        finally
        {
            ProcessTree.Kill(pids.Where(ProcessTree.IsAlive));
        }
    }

    [Fact]
    public async Task Sessions_ended_by_DELETE_or_idle_timeout_do_not_delay_the_next_start()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gate = await RunningGate.StartAsync(
            StdioPeers.Config("node", [s_script], """{ "sharing": "per-session", "idleTimeout": "1m" }"""),
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        using var metrics = new MetricsRecorder(gate);
        int Exits() => metrics.Of(GateTelemetryNames.StdioExits).Count;

        for (var ended = 1; ended <= 3; ended++)
        {
            var client = await ConnectUnheldAsync(gate);
            await client.DisposeAsync(); // DELETE: the session and its child end
            (await StdioPeers.UntilAsync(() => Exits() >= ended)).Should().BeTrue("the child of the ended session exited");
        }

        var idle = await ConnectUnheldAsync(gate);
        var reaped = Exits() + 1;
        time.Advance(TimeSpan.FromMinutes(2));
        (await StdioPeers.UntilAsync(() => Exits() >= reaped)).Should().BeTrue("the idle session's child was ended");
        await using var last = await ConnectUnheldAsync(gate);
        await idle.DisposeAsync();

        metrics.Of(GateTelemetryNames.StdioExits).Select(r => r.Tags["mcpgate.stdio.reason"]).Should()
            .OnlyContain(r => r == StdioReasons.SessionEnded || r == StdioReasons.IdleTimeout).And.Contain(StdioReasons.IdleTimeout);
        var ready = (await FaultClient.ReadinessAsync(gate)).GetProperty("upstreams").GetProperty("files");
        ready.GetProperty("last_error").ValueKind.Should().Be(JsonValueKind.Null, "an end the gate asked for is no error");
        ready.GetProperty("reachable").GetBoolean().Should().BeTrue();
    }

    /// <summary>A session, started on a clock that stands still: a start held back by a restart backoff never comes.</summary>
    private static async Task<McpClient> ConnectUnheldAsync(RunningGate gate)
    {
        var connect = StdioPeers.ConnectAsync(gate, GatePolicies.AliceToken);
        (await Task.WhenAny(connect, Task.Delay(TimeSpan.FromMinutes(1)))).Should().BeSameAs(connect, "no backoff holds back the start after an end the gate asked for");
        return await connect;
    }
}

internal static class StdioServiceExtensions
{
    public static StdioUpstreams GetStdio(this IServiceProvider services) =>
        (StdioUpstreams)services.GetService(typeof(StdioUpstreams))!;
}
