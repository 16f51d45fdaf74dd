using System.Diagnostics;

namespace McpGate.Bench.Runner;

/// <summary>
/// The stdio scenario (issue 15): bench/StdioUpstream fronted by McpGate (<c>mcp serve</c> with
/// bench/policy/servers-stdio.json: ACL and audit on, one shared child) and by supergateway (stateful Streamable
/// HTTP, a child per session), the same wrk tools/call script against both in interleaved rounds.
/// </summary>
internal sealed partial class LoadBench
{
    public const string StdioGate = "mcpgate-stdio";
    public const string Supergateway = "supergateway";

    private async Task<ScenarioResult> RunStdioScenarioAsync(
        string? proxyCpu, string? clientCpu, string logs, string scratch, McpProbe probe, Dictionary<string, long> rss)
    {
        var launcher = WriteStdioLauncher(scratch, clientCpu);
        var auditPath = Path.Combine(scratch, "audit-stdio", "audit.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(auditPath)!);
        var gatePort = FreePort();
        var gate = Start(StdioGate, proxyCpu, GateDll(),
            ["serve", "--config", Path.Combine(options.RepoRoot, "bench", "policy", "servers-stdio.json"),
             "--listen", $"127.0.0.1:{Num(gatePort)}", "--audit-log", auditPath],
            logs, new Dictionary<string, string> { ["BENCH_STDIO_COMMAND"] = launcher });
        await gate.WaitReadyAsync(gatePort, "/healthz", TimeSpan.FromSeconds(60));
        var targets = new List<Target> { new(StdioGate, new Uri($"http://127.0.0.1:{gatePort}/mcp/github"), gate) };

        ManagedProcess? bridge = null;
        if (await SupergatewayAsync(logs) is { } supergateway)
        {
            var bridgePort = FreePort();

            // Stateful: the wrk script replays one session, and stateless supergateway starts a child per request.
            // Its per-message logging is off (--logLevel none) so that it is measured at its fastest.
            bridge = StartProcess(Supergateway, proxyCpu, "node",
                [supergateway, "--stdio", $"{ManagedProcess.Quote(launcher)} --tools 200", "--outputTransport", "streamableHttp", "--stateful",
                 "--port", Num(bridgePort), "--logLevel", "none", "--healthEndpoint", "/healthz"],
                logs, new Dictionary<string, string>());
            await bridge.WaitReadyAsync(bridgePort, "/healthz", TimeSpan.FromSeconds(60));
            targets.Add(new Target(Supergateway, new Uri($"http://127.0.0.1:{bridgePort}/mcp"), bridge));
        }

        await PrepareAsync(targets, probe);

        // Unique ids: supergateway relays one session to one child and routes answers by JSON-RPC id.
        var wrk = new Wrk(Path.Combine(options.RepoRoot, "bench", "load", "mcp.lua"), clientCpu, options.Threads, options.Connections, uniqueIds: true);
        await WarmUpAsync(targets, wrk, withList: false);
        var scenario = await RunScenarioAsync(
            targets, wrk, "stdio_tools_call",
            "tools/call get_issue to bench/StdioUpstream (a stdio server) through McpGate (one shared child, ACL and audit on) and supergateway 4.0.0 (stateful Streamable HTTP, one child for the session), closed loop, a unique JSON-RPC id per request",
            "call", options.StdioRounds, 0, StdioGate, Supergateway);
        foreach (var target in targets)
        {
            rss[$"{target.Name}_end"] = target.Process!.ReadRssKb();
        }

        var exit = await gate.StopAsync(TimeSpan.FromSeconds(30));
        if (exit != 0)
        {
            log.WriteLine($"warning: mcp serve (stdio) exited with {exit} on SIGTERM; see {gate.LogPath}");
        }

        if (bridge is not null)
        {
            await bridge.StopAsync(TimeSpan.FromSeconds(10));
        }

        log.WriteLine($"  {StdioGate} audit: {CountLines(auditPath)} lines");
        return scenario;
    }

    /// <summary>
    /// The one command both proxies start: a script that execs <c>dotnet StdioUpstream.dll</c>, pinned to the client
    /// CPU like FastUpstream (a child inherits its parent's CPU, the proxy's, otherwise).
    /// </summary>
    private string WriteStdioLauncher(string scratch, string? clientCpu)
    {
        var dll = BenchDll("StdioUpstream");
        if (!File.Exists(dll))
        {
            throw new BenchException($"{dll} is missing: build it first (bench/run.sh builds {options.Configuration})");
        }

        var path = Path.Combine(scratch, "stdio-upstream.sh");
        var pin = clientCpu is null ? string.Empty : $"taskset -c {clientCpu} ";
        File.WriteAllText(path, $"#!/bin/sh\nexec {pin}dotnet {ManagedProcess.Quote(dll)} \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return path;
    }

    /// <summary>
    /// supergateway's entry script, installed from tests/peers/stdio's committed lock (npm ci) when missing; null, and
    /// the scenario runs McpGate alone, when node or npm is not there (or, in --quick mode, npm ci fails).
    /// </summary>
    private async Task<string?> SupergatewayAsync(string logs)
    {
        var directory = Path.Combine(options.RepoRoot, "tests", "peers", "stdio");
        var script = Path.Combine(directory, "node_modules", "supergateway", "dist", "index.js");
        if (File.Exists(script))
        {
            return script;
        }

        if (!OnPath("node") || !OnPath("npm"))
        {
            log.WriteLine("  supergateway skipped: node and npm are needed to install it (tests/peers/stdio)");
            return null;
        }

        log.WriteLine("  installing supergateway: npm ci in tests/peers/stdio");
        var info = new ProcessStartInfo("npm") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            info.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(info) ?? throw new BenchException("could not start npm");
        var stdout = npm.StandardOutput.ReadToEndAsync();
        var stderr = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        await File.WriteAllTextAsync(Path.Combine(logs, "npm-ci.log"), await stdout + await stderr);
        if (npm.ExitCode != 0 || !File.Exists(script))
        {
            var message = $"npm ci in {directory} failed (exit {npm.ExitCode}); see {Path.Combine(logs, "npm-ci.log")}";

            // A smoke test on a machine without the npm registry still proves the rest of the bench runs.
            if (options.Mode == "quick")
            {
                log.WriteLine($"  supergateway skipped: {message}");
                return null;
            }

            throw new BenchException(message);
        }

        return script;
    }

    private static Dictionary<string, double> VersusRatios(List<TargetResult> results, string gateName, string baselineName)
    {
        var ratios = new Dictionary<string, double>();
        var gate = results.Find(r => r.Target == gateName);
        var baseline = results.Find(r => r.Target == baselineName);
        if (gate is not null && baseline is not null)
        {
            var key = baselineName.Replace('-', '_');
            ratios[$"throughput_gate_vs_{key}"] = Ratio(gate.RequestsPerSecond, baseline.RequestsPerSecond);
            ratios[$"p50_gate_vs_{key}"] = Ratio(gate.P50Us, baseline.P50Us);
            ratios[$"p99_gate_vs_{key}"] = Ratio(gate.P99Us, baseline.P99Us);
        }

        return ratios;
    }
}
