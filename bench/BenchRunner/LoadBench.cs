using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace McpGate.Bench.Runner;

/// <summary>
/// The load half of the bench: FastUpstream, BareYarp and <c>mcp serve</c> side by side, the same wrk script
/// against each in interleaved rounds (direct, bare YARP, McpGate, direct, …), RSS from /proc and the audit log's
/// line count; in the tools/call scenario also the gate's variants with OAuth, metrics and traces
/// (LoadBench.Variants.cs); then the stdio scenario (LoadBench.Stdio.cs). See docs/performance.md for why it is
/// built this way.
/// </summary>
internal sealed partial class LoadBench(LoadOptions options, TextWriter log)
{
    public const string Token = "bench-token-bob";
    private const string ProxyCpu = "0";
    private const string ClientCpu = "1";
    private const double SoakSteadyAfterS = 60;

    private readonly List<ManagedProcess> _processes = [];
    private long _gateCalls;
    private long _gateLists;
    private double _foreignSum;
    private int _foreignSamples;

    public async Task<LoadResults> RunAsync()
    {
        var pin = options.Pin && Machine.CpuCount() >= 2 && OnPath("taskset");
        var proxyCpu = pin ? ProxyCpu : null;
        var clientCpu = pin ? ClientCpu : null;
        var logs = Path.Combine(options.ResultsDir, "logs");
        Directory.CreateDirectory(logs);
        var scratch = Path.Combine(Path.GetTempPath(), $"mcpgate-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        var auditPath = Path.Combine(scratch, "audit", "audit.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(auditPath)!);

        try
        {
            var gcServer = GateUsesServerGc();
            var gcEnvironment = new Dictionary<string, string> { ["DOTNET_gcServer"] = gcServer ? "1" : "0" };
            var upstreamPort = FreePort();
            var yarpPort = FreePort();
            var gatePort = FreePort();
            var upstreamUrl = $"http://127.0.0.1:{upstreamPort}/mcp";

            var upstream = Start("upstream", clientCpu, BenchDll("FastUpstream"),
                ["--port", Num(upstreamPort), "--tools", "200"], logs, gcEnvironment);
            await upstream.WaitReadyAsync(upstreamPort, "/healthz", TimeSpan.FromSeconds(60));

            ManagedProcess? yarp = null;
            if (options.Mode != "soak")
            {
                yarp = Start("bare-yarp", proxyCpu, BenchDll("BareYarp"),
                    ["--port", Num(yarpPort), "--upstream", upstreamUrl], logs, gcEnvironment);
                await yarp.WaitReadyAsync(yarpPort, null, TimeSpan.FromSeconds(60));
            }

            var gateEnvironment = new Dictionary<string, string> { ["BENCH_UPSTREAM_URL"] = upstreamUrl };
            var gate = Start("mcpgate", proxyCpu, GateDll(),
                ["serve", "--config", BasePolicy(),
                 "--listen", $"127.0.0.1:{Num(gatePort)}", "--audit-log", auditPath], logs, gateEnvironment);
            await gate.WaitReadyAsync(gatePort, "/healthz", TimeSpan.FromSeconds(60));

            var targets = new List<Target> { new("direct", new Uri(upstreamUrl), null) };
            if (yarp is not null)
            {
                targets.Add(new Target("bare-yarp", new Uri($"http://127.0.0.1:{yarpPort}/mcp/github"), yarp));
            }

            targets.Add(new Target("mcpgate", new Uri($"http://127.0.0.1:{gatePort}/mcp/github"), gate));
            if (options.Mode == "soak")
            {
                targets.RemoveAt(0);
            }
            else
            {
                targets.AddRange(await StartVariantsAsync(proxyCpu, logs, scratch, upstreamUrl));
            }

            using var probe = new McpProbe(options.Protocol);
            await PrepareAsync(targets, probe);

            var wrk = new Wrk(Path.Combine(options.RepoRoot, "bench", "load", "mcp.lua"), clientCpu, options.Threads, options.Connections);
            await WarmUpAsync(targets, wrk);
            var rss = new Dictionary<string, long>();
            foreach (var target in targets)
            {
                if (target.Process is not null)
                {
                    rss[$"{target.Name}_after_warmup"] = target.Process.ReadRssKb();
                }
            }

            var scenarios = new List<ScenarioResult>();
            SoakResult? soak = null;
            VariantEvidence? variants = null;
            if (options.Mode == "soak")
            {
                soak = await SoakAsync(targets[0], wrk, auditPath);
            }
            else
            {
                var call = await RunScenarioAsync(
                    targets, wrk, "tools_call",
                    "tools/call get_issue, closed loop; also through McpGate with OAuth (a JWT), with metrics (scraped) and with traces (OTLP)",
                    "call", options.CallRounds, 0);
                scenarios.Add(call);
                variants = await StopVariantsAsync(targets, rss);

                // The variants differ from McpGate only in what tools/call measures; the other scenarios leave them out.
                targets.RemoveAll(t => t.CallOnly);
                scenarios.Add(await RunScenarioAsync(targets, wrk, "tools_list", "tools/list of 200 tools (McpGate filters it), closed loop", "list", options.ListRounds, 0));
                if (options.PacedRounds > 0)
                {
                    var yarpRps = call.Targets.Find(t => t.Target == "bare-yarp")?.RequestsPerSecond ?? 1000;

                    // Half of bare YARP's closed-loop rate: a load both proxies sustain, so p50 compares the
                    // per-request cost rather than queueing.
                    var delay = Math.Max(1, (int)Math.Round(options.Connections * 1000.0 / (0.5 * yarpRps)));
                    scenarios.Add(await RunScenarioAsync(
                        targets, wrk, "tools_call_paced",
                        $"tools/call get_issue at the same offered load: {options.Connections} connections, each pausing {delay} ms after every answer (at most {options.Connections * 1000 / delay} req/s; about half of bare YARP's closed-loop rate)",
                        "call", options.PacedRounds, delay));
                }

                if (options.StdioRounds > 0)
                {
                    scenarios.Add(await RunStdioScenarioAsync(proxyCpu, clientCpu, logs, scratch, probe, rss));
                }
            }

            foreach (var target in targets)
            {
                // The soak stops the gate itself (to flush the audit log) and reports its own end RSS.
                if (target.Process is { HasExited: false })
                {
                    rss[$"{target.Name}_end"] = target.Process.ReadRssKb();
                }
            }

            // A graceful stop flushes the audit sink; only then is the line count final.
            var exit = await gate.StopAsync(TimeSpan.FromSeconds(30));
            if (exit != 0)
            {
                log.WriteLine($"warning: mcp serve exited with {exit} on SIGTERM; see {gate.LogPath}");
            }

            var auditLines = CountLines(auditPath);
            return new LoadResults
            {
                Settings = new LoadSettings
                {
                    Mode = options.Mode,
                    Connections = options.Connections,
                    Threads = options.Threads,
                    DurationS = options.Mode == "soak" ? options.SoakS : options.DurationS,
                    WarmupS = options.WarmupS,
                    Rounds = options.CallRounds,
                    Protocol = options.Protocol,
                    Session = "initialize through each target once (as bob), then every request carries that Mcp-Session-Id",
                    Placement = pin
                        ? new Dictionary<string, string>
                        {
                            ["proxy under test (bare YARP, McpGate and its variants; supergateway in the stdio scenario)"] = $"CPU {ProxyCpu}",
                            ["FastUpstream"] = $"CPU {ClientCpu}",
                            ["wrk (1 thread)"] = $"CPU {ClientCpu}",
                            ["StdioUpstream (the stdio scenario's child)"] = $"CPU {ClientCpu}",
                            ["the runner (the OAuth gate's issuer, the OTLP receiver, the /metrics scraper)"] = $"CPU {ClientCpu}",
                        }
                        : new Dictionary<string, string> { ["all"] = "unpinned" },
                    GcMode = gcServer ? "server" : "workstation",
                    ForeignCpu0Percent = _foreignSamples == 0 ? 0 : Math.Round(_foreignSum / _foreignSamples, 1),
                },
                Scenarios = scenarios,
                RssKb = rss,
                AuditLines = auditLines,
                GateRequests = _gateCalls + _gateLists,
                Soak = soak,
                Variants = variants,
            };
        }
        finally
        {
            foreach (var process in _processes)
            {
                await process.DisposeAsync();
            }

            await DisposeVariantPeersAsync();

            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task PrepareAsync(List<Target> targets, McpProbe probe)
    {
        foreach (var target in targets)
        {
            var before = probe.RequestsSent;
            target.Session = await probe.InitializeAsync(target.Url, target.Token);
            await probe.CheckCallAsync(target.Url, target.Token, target.Session);
            target.ToolsReturned = await probe.CheckListAsync(target.Url, target.Token, target.Session);
            target.Requests += probe.RequestsSent - before;
            target.ToolCalls++;
            if (target.Name == "mcpgate")
            {
                _gateCalls++;
                _gateLists++;
            }

            log.WriteLine($"  {target.Name,-15} {target.Url}  session {target.Session[..Math.Min(8, target.Session.Length)]}…  tools/list → {target.ToolsReturned} tools  ({probe.RequestsSent - before} setup requests)");
        }
    }

    /// <summary>
    /// Warms each target until its tools/call rate settles: 2 s runs until three in a row agree within 5 % and the
    /// target's minimum has passed (at most four times the minimum). A proxy's minimum is much longer than the
    /// upstream's: pinned to one saturated core, the runtime's background tier-1 compiler gets a small share of the
    /// CPU, so both proxies (the gate more, having more code) run at a steady-looking 30–40 % of their final rate for
    /// half a minute or more before the optimised code lands; a rule that only looked for a stable rate measured that
    /// plateau.
    /// </summary>
    private async Task WarmUpAsync(List<Target> targets, Wrk wrk, bool withList = true)
    {
        withList = withList && options.ListRounds > 0 && options.Mode != "quick";
        log.WriteLine($"warm-up per target: tools/call until the rate settles (direct ≥ {options.WarmupS} s, proxies ≥ {options.ProxyWarmupS} s){(withList ? ", then 2 s of tools/list (not the variants, which only tools/call measures)" : string.Empty)}");
        var chunk = Math.Min(2, options.WarmupS);
        foreach (var target in targets)
        {
            var minimum = target.Process is null ? options.WarmupS : options.ProxyWarmupS;
            var cap = options.Mode == "quick" ? minimum * 2 : minimum * 4;
            var elapsed = 0;
            var recent = new Queue<double>();
            var settled = false;
            while (elapsed < cap)
            {
                var result = await RunWrkAsync(wrk, target, "call", chunk, 0);
                Count(target, "call", result);
                elapsed += chunk;
                recent.Enqueue(result.RequestsPerSecond);
                if (recent.Count > 3)
                {
                    recent.Dequeue();
                }

                settled = recent.Count == 3 && recent.Max() - recent.Min() <= 0.05 * recent.Max();
                if (settled && elapsed >= minimum)
                {
                    break;
                }
            }

            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {target.Name,-15} warmed {elapsed} s, last {recent.Last():0} req/s{(settled ? string.Empty : " (did not settle)")}"));
            target.WarmupS = elapsed;
            if (withList && !target.CallOnly)
            {
                Count(target, "list", await RunWrkAsync(wrk, target, "list", 2, 0));
            }
        }
    }

    private async Task<ScenarioResult> RunScenarioAsync(
        List<Target> targets, Wrk wrk, string name, string description, string kind, int rounds, int delayMs,
        string gate = "mcpgate", string baseline = "bare-yarp")
    {
        log.WriteLine($"{name}: {description}; {rounds} round(s) of {options.DurationS} s, interleaved");
        var runs = targets.ToDictionary(t => t.Name, _ => new List<RunRecord>());
        for (var round = 1; round <= rounds; round++)
        {
            // Each round starts one target later: a target's place in the round (right after another proxy pinned to
            // the same core, or after the upstream's longest stretch of work) must not favour it in every round.
            var shift = (round - 1) % targets.Count;
            foreach (var target in targets.Skip(shift).Concat(targets.Take(shift)))
            {
                var before = CpuAccount.Take(ProxyProcesses());
                var ownBefore = target.Process is null ? 0 : CpuAccount.ProcessTicks(target.Process.Pid);
                var result = await RunWrkAsync(wrk, target, kind, options.DurationS, delayMs);
                var ownAfter = target.Process is null ? 0 : CpuAccount.ProcessTicks(target.Process.Pid);
                var foreign = CpuAccount.ForeignPercent(before, CpuAccount.Take(ProxyProcesses()));
                var cpuUs = result.Requests > 0 ? Math.Round((ownAfter - ownBefore) * 10_000.0 / result.Requests, 1) : 0;
                // Closed-loop runs only: a paced proxy leaves CPU 0 partly idle, and other work filling that idle
                // time says nothing about contention.
                if (target.Process is not null && delayMs == 0)
                {
                    _foreignSum += foreign;
                    _foreignSamples++;
                }

                Count(target, kind, result);
                var rss = target.Process?.ReadRssKb() ?? 0;
                runs[target.Name].Add(new RunRecord(round, Math.Round(result.RequestsPerSecond, 1), result.LatencyUs.P50, result.LatencyUs.P99, rss, Math.Round(foreign, 1), cpuUs, result));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round} {target.Name,-15} {result.RequestsPerSecond,9:0} req/s  p50 {result.LatencyUs.P50 / 1000.0,7:0.000} ms  p99 {result.LatencyUs.P99 / 1000.0,7:0.000} ms  rss {rss / 1024.0,6:0.0} MiB{(target.Process is null ? string.Empty : $"  cpu {cpuUs,6:0.0} µs/req  other work on CPU 0 {foreign,4:0.0} %")}"));
            }
        }

        var results = new List<TargetResult>();
        foreach (var target in targets)
        {
            var list = runs[target.Name];
            results.Add(new TargetResult
            {
                Target = target.Name,
                Runs = list,
                RequestsPerSecond = Math.Round(Median(list.ConvertAll(r => r.RequestsPerSecond)), 1),
                P50Us = (long)Median(list.ConvertAll(r => (double)r.P50Us)),
                P99Us = (long)Median(list.ConvertAll(r => (double)r.P99Us)),
                CpuUsPerRequest = Math.Round(Median(list.ConvertAll(r => r.CpuUsPerRequest)), 1),
                ToolsReturned = kind == "list" ? target.ToolsReturned : null,
                WarmupS = target.WarmupS,
            });
        }

        return new ScenarioResult
        {
            Name = name,
            Description = description,
            DelayMs = delayMs,
            Targets = results,
            Ratios = gate == "mcpgate" ? Ratios(results) : VersusRatios(results, gate, baseline),
            ThroughputRatioByRound = RoundRatios(runs, gate, baseline),
            ThroughputVsGateByRound = targets.Where(t => t.CallOnly).ToDictionary(t => t.Name, t => RoundRatios(runs, t.Name, "mcpgate")),
        };
    }

    private static List<double> RoundRatios(Dictionary<string, List<RunRecord>> runs, string gateName, string baselineName)
    {
        var ratios = new List<double>();
        if (runs.TryGetValue(gateName, out var gate) && runs.TryGetValue(baselineName, out var baseline))
        {
            for (var i = 0; i < Math.Min(gate.Count, baseline.Count); i++)
            {
                ratios.Add(Ratio(gate[i].RequestsPerSecond, baseline[i].RequestsPerSecond));
            }
        }

        return ratios;
    }

    private async Task<SoakResult> SoakAsync(Target gate, Wrk wrk, string auditPath)
    {
        log.WriteLine($"soak: tools/call against McpGate for {options.SoakS} s, sampling RSS and audit lines every 30 s");
        var process = gate.Process!;
        var samples = new List<RssSample>();
        var linesStart = CountLines(auditPath);
        var rssStart = process.ReadRssKb();
        samples.Add(new RssSample(0, rssStart, linesStart));
        var clock = Stopwatch.StartNew();
        var cpuBefore = CpuAccount.Take(ProxyProcesses());
        var run = RunWrkAsync(wrk, gate, "call", options.SoakS, 0);
        while (!run.IsCompleted)
        {
            var tick = Task.Delay(TimeSpan.FromSeconds(30));
            await Task.WhenAny(run, tick);
            if (!run.IsCompleted)
            {
                var sample = new RssSample(Math.Round(clock.Elapsed.TotalSeconds, 1), process.ReadRssKb(), CountLines(auditPath));
                samples.Add(sample);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  t={sample.ElapsedS,5:0} s  rss {sample.RssKb / 1024.0,6:0.0} MiB  audit lines {sample.AuditLines}"));
            }
        }

        var result = await run;
        _foreignSum += CpuAccount.ForeignPercent(cpuBefore, CpuAccount.Take(ProxyProcesses()));
        _foreignSamples++;
        Count(gate, "call", result);
        var rssEnd = process.ReadRssKb();

        // The audit sink may still hold the last records in its buffer while the gate runs; stop it gracefully
        // (which flushes) and count then, so "lines = requests" is judged on what reached the file.
        var exit = await process.StopAsync(TimeSpan.FromSeconds(30));
        if (exit != 0)
        {
            log.WriteLine($"warning: mcp serve exited with {exit} on SIGTERM");
        }

        var linesEnd = CountLines(auditPath);
        samples.Add(new RssSample(Math.Round(clock.Elapsed.TotalSeconds, 1), rssEnd, linesEnd));
        // The heap grows to its working size during the first minute of load; flatness is judged from there on.
        var steady = samples.Find(sample => sample.ElapsedS >= SoakSteadyAfterS) ?? samples[^1];
        return new SoakResult
        {
            DurationS = Math.Round(result.DurationUs / 1e6, 1),
            RssStartKb = rssStart,
            RssSteadyKb = steady.RssKb,
            RssSteadyAtS = steady.ElapsedS,
            RssEndKb = rssEnd,
            AuditLinesStart = linesStart,
            AuditLinesEnd = linesEnd,
            Requests = result.Requests,
            RequestsPerSecond = Math.Round(result.RequestsPerSecond, 1),
            Samples = samples,
        };
    }

    private async Task<WrkResult> RunWrkAsync(Wrk wrk, Target target, string kind, int seconds, int delayMs)
    {
        var result = await wrk.RunAsync(target.Url, kind, TimeSpan.FromSeconds(seconds), delayMs, target.Token, target.Session, options.Protocol);
        target.Requests += result.Requests;
        if (kind == "call")
        {
            target.ToolCalls += result.Requests;
        }

        if (target.Process is { HasExited: true })
        {
            throw new BenchException($"{target.Name} died during the run; see {target.Process.LogPath}:\n{ManagedProcess.Tail(target.Process.LogPath)}");
        }

        if (result.Requests == 0 || result.Errors.Status > 0 || result.SocketErrors > result.Requests / 100)
        {
            throw new BenchException(
                $"wrk against {target.Name} ({kind}) failed: {result.Requests} requests, {result.Errors.Status} non-2xx answers, " +
                $"socket errors connect {result.Errors.Connect} read {result.Errors.Read} write {result.Errors.Write} timeout {result.Errors.Timeout}");
        }

        return result;
    }

    /// <summary>The processes pinned to the proxy's CPU: their CPU time there is the bench's own, not other work.</summary>
    private IEnumerable<ManagedProcess> ProxyProcesses() => _processes.Where(p => p.CpuList == ProxyCpu);

    private void Count(Target target, string kind, WrkResult result)
    {
        if (target.Name != "mcpgate")
        {
            return;
        }

        if (kind == "call")
        {
            _gateCalls += result.Requests;
        }
        else
        {
            _gateLists += result.Requests;
        }
    }

    private static Dictionary<string, double> Ratios(List<TargetResult> results)
    {
        var ratios = new Dictionary<string, double>();
        var gate = results.Find(r => r.Target == "mcpgate");
        if (gate is null)
        {
            return ratios;
        }

        foreach (var baseline in new[] { "bare-yarp", "direct" })
        {
            var other = results.Find(r => r.Target == baseline);
            if (other is null)
            {
                continue;
            }

            var key = baseline == "bare-yarp" ? "yarp" : "direct";
            ratios[$"throughput_gate_vs_{key}"] = Ratio(gate.RequestsPerSecond, other.RequestsPerSecond);
            ratios[$"p50_gate_vs_{key}"] = Ratio(gate.P50Us, other.P50Us);
            ratios[$"p99_gate_vs_{key}"] = Ratio(gate.P99Us, other.P99Us);
        }

        // Each variant against the gate it varies (static token, telemetry off): throughput_oauth_vs_gate, …
        foreach (var (name, key) in s_variantKeys)
        {
            if (results.Find(r => r.Target == name) is { } variant)
            {
                ratios[$"throughput_{key}_vs_gate"] = Ratio(variant.RequestsPerSecond, gate.RequestsPerSecond);
                ratios[$"p50_{key}_vs_gate"] = Ratio(variant.P50Us, gate.P50Us);
                ratios[$"p99_{key}_vs_gate"] = Ratio(variant.P99Us, gate.P99Us);
            }
        }

        return ratios;
    }

    private static double Ratio(double a, double b) => b == 0 ? 0 : Math.Round(a / b, 3);

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        values.Sort();
        var middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>Counts lines in the audit file and any rolled siblings (the sink may roll by size or day).</summary>
    private static long CountLines(string auditPath)
    {
        var directory = Path.GetDirectoryName(auditPath)!;
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        long lines = 0;
        var buffer = new byte[1 << 20];
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            // The sink's lock file (.audit.jsonl.lock) is held exclusively and holds no records.
            if (Path.GetFileName(file).StartsWith('.'))
            {
                continue;
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
        }

        return lines;
    }

    private ManagedProcess Start(
        string name, string? cpu, string dll, IReadOnlyList<string> arguments, string logs, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(dll))
        {
            throw new BenchException($"{dll} is missing: build it first (bench/run.sh builds {options.Configuration})");
        }

        return StartProcess(name, cpu, "dotnet", [dll, .. arguments], logs, environment);
    }

    private ManagedProcess StartProcess(
        string name, string? cpu, string program, IReadOnlyList<string> arguments, string logs, IReadOnlyDictionary<string, string> environment)
    {
        var process = ManagedProcess.Start(name, cpu, program, arguments, Path.Combine(logs, name + ".log"), environment);
        _processes.Add(process);
        log.WriteLine($"started {name} (pid {process.Pid}{(cpu is null ? string.Empty : ", CPU " + cpu)})");
        return process;
    }

    /// <summary>bench/policy/servers.json: the gate as an operator gets it with no exporter (telemetry off).</summary>
    private string BasePolicy() => Path.Combine(options.RepoRoot, "bench", "policy", "servers.json");

    private string BenchDll(string project) =>
        Path.Combine(options.RepoRoot, "bench", project, "bin", options.Configuration, "net10.0", project + ".dll");

    /// <summary>The built <c>mcp</c>; <c>BENCH_GATE_DLL</c> points the bench at another build of it (e.g. to compare a branch).</summary>
    private string GateDll() =>
        Environment.GetEnvironmentVariable("BENCH_GATE_DLL") is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : Path.Combine(options.RepoRoot, "src", "McpGate.Cli", "bin", options.Configuration, "net10.0", "mcp.dll");

    /// <summary>
    /// BareYarp (a Web SDK app) would default to server GC; it runs with whatever GC mode `mcp` ships with, so the
    /// comparison is proxy against proxy, not GC mode against GC mode.
    /// </summary>
    private bool GateUsesServerGc()
    {
        var path = Path.ChangeExtension(GateDll(), ".runtimeconfig.json");
        if (!File.Exists(path))
        {
            return false;
        }

        var node = JsonNode.Parse(File.ReadAllText(path));
        return node?["runtimeOptions"]?["configProperties"]?["System.GC.Server"]?.GetValue<bool>() ?? false;
    }

    private static bool OnPath(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, program)))
            {
                return true;
            }
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Target(string name, Uri url, ManagedProcess? process)
    {
        public string Name { get; } = name;

        public Uri Url { get; } = url;

        public ManagedProcess? Process { get; } = process;

        /// <summary>The bearer wrk and the probe send: bob's static token, or for the OAuth gate bob's JWT.</summary>
        public string Token { get; init; } = LoadBench.Token;

        /// <summary>A variant of the gate, measured in the tools/call scenario only.</summary>
        public bool CallOnly { get; init; }

        /// <summary>HTTP requests sent to it (setup and wrk), and how many of them were tools/call.</summary>
        public long Requests { get; set; }

        public long ToolCalls { get; set; }

        public string? Session { get; set; }

        public int ToolsReturned { get; set; }

        public int WarmupS { get; set; }
    }
}
