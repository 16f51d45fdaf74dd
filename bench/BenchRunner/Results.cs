using System.Text.Json.Serialization;

namespace McpGate.Bench.Runner;

/// <summary>What <c>done()</c> in bench/load/mcp.lua prints after one wrk run (latencies in microseconds).</summary>
internal sealed record WrkResult
{
    public long Requests { get; init; }

    public long DurationUs { get; init; }

    public long Bytes { get; init; }

    public WrkErrors Errors { get; init; } = new();

    public WrkLatency LatencyUs { get; init; } = new();

    [JsonIgnore]
    public double RequestsPerSecond => DurationUs == 0 ? 0 : Requests * 1_000_000.0 / DurationUs;

    [JsonIgnore]
    public long SocketErrors => Errors.Connect + Errors.Read + Errors.Write + Errors.Timeout;
}

internal sealed record WrkErrors
{
    public long Connect { get; init; }

    public long Read { get; init; }

    public long Write { get; init; }

    public long Status { get; init; }

    public long Timeout { get; init; }
}

internal sealed record WrkLatency
{
    public double Mean { get; init; }

    public double Stdev { get; init; }

    public long Max { get; init; }

    public long P50 { get; init; }

    public long P90 { get; init; }

    public long P99 { get; init; }

    public long P999 { get; init; }
}

/// <summary>One wrk run as recorded: which round, the target's RSS right after it, and wrk's numbers.</summary>
/// <param name="CpuUsPerRequest">The proxy's own CPU time (user and system, /proc) per request of the run; 0 for direct.</param>
internal sealed record RunRecord(int Round, double RequestsPerSecond, long P50Us, long P99Us, long RssKb, double ForeignCpu0Percent, double CpuUsPerRequest, WrkResult Wrk);

/// <summary>All rounds of one scenario against one target, and their medians.</summary>
internal sealed record TargetResult
{
    public required string Target { get; init; }

    public required List<RunRecord> Runs { get; init; }

    public double RequestsPerSecond { get; init; }

    public long P50Us { get; init; }

    public long P99Us { get; init; }

    /// <summary>
    /// Median of the runs' proxy CPU per request: what a target costs, less disturbed than its throughput by what
    /// else the machine did during a run (the throughput of one round varies by ±8 % here; this by less).
    /// </summary>
    public double CpuUsPerRequest { get; init; }

    /// <summary>Seconds of warm-up this target needed before its rate settled.</summary>
    public int WarmupS { get; init; }

    /// <summary>How many tools a <c>tools/list</c> through this target returned (list scenarios only).</summary>
    public int? ToolsReturned { get; init; }
}

internal sealed record ScenarioResult
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>wrk's per-connection pause after each response; 0 = closed loop.</summary>
    public int DelayMs { get; init; }

    public required List<TargetResult> Targets { get; init; }

    /// <summary>McpGate ÷ bare YARP and McpGate ÷ direct for throughput, p50 and p99; in tools_call also each variant
    /// ÷ McpGate (<c>throughput_oauth_vs_gate</c>, <c>_metrics_</c>, <c>_traces_</c>).</summary>
    public Dictionary<string, double> Ratios { get; init; } = [];

    /// <summary>McpGate ÷ bare YARP throughput within each round (runs seconds apart): how much of the spread between
    /// rounds is the machine rather than the proxies.</summary>
    public List<double> ThroughputRatioByRound { get; init; } = [];

    /// <summary>Each variant's throughput ÷ McpGate's within each round, by variant (tools_call only).</summary>
    public Dictionary<string, List<double>> ThroughputVsGateByRound { get; init; } = [];
}

/// <summary>What shows each of the gate's variants did its extra work while it was measured.</summary>
internal sealed record VariantEvidence
{
    [JsonPropertyName("oauth")]
    public required OAuthEvidence OAuth { get; init; }

    public required MetricsEvidence Metrics { get; init; }

    public required TracesEvidence Traces { get; init; }
}

/// <summary>The OAuth gate's issuer and how often the gate fetched its metadata and keys (once each: validated tokens are cached).</summary>
internal sealed record OAuthEvidence(string Issuer, string Providers, int TokenChars, int DiscoveryRequests, int JwksRequests, long RequestsSent);

/// <summary>The scrapes of the metrics gate, and the tools/call count its last scrape showed against those sent.</summary>
internal sealed record MetricsEvidence(double ScrapeIntervalS, int Scrapes, int ScrapeFailures, long LastScrapeBytes, long ToolCallsRecorded, long ToolCallsSent);

/// <summary>What the OTLP receiver got from the traced gate: exports, bytes and spans, against the requests sent to it.</summary>
internal sealed record TracesEvidence(
    string Endpoint, long TraceExports, long TraceBytes, long Spans, long MetricExports, long MetricBytes, long RequestsSent, double SpansPerRequest);

internal sealed record RssSample(double ElapsedS, long RssKb, long AuditLines);

internal sealed record SoakResult
{
    public double DurationS { get; init; }

    public long RssStartKb { get; init; }

    /// <summary>RSS after the first minute of load, once the heap has grown to its working size: the baseline "flat" is judged against.</summary>
    public long RssSteadyKb { get; init; }

    public double RssSteadyAtS { get; init; }

    public long RssEndKb { get; init; }

    public long AuditLinesStart { get; init; }

    public long AuditLinesEnd { get; init; }

    /// <summary>Requests wrk saw answered during the soak (audit lines written in the same window should match).</summary>
    public long Requests { get; init; }

    public double RequestsPerSecond { get; init; }

    public required List<RssSample> Samples { get; init; }
}

internal sealed record LoadSettings
{
    public required string Mode { get; init; }

    public int Connections { get; init; }

    public int Threads { get; init; }

    public int DurationS { get; init; }

    public int WarmupS { get; init; }

    public int Rounds { get; init; }

    public required string Protocol { get; init; }

    public required string Session { get; init; }

    public required Dictionary<string, string> Placement { get; init; }

    public required string GcMode { get; init; }

    /// <summary>
    /// Share of CPU 0 (the proxy's) that processes other than the bench's proxies used during the closed-loop proxy
    /// runs, in percent, averaged over the runs. Anything above a few percent means something else competed with the proxy.
    /// </summary>
    public double ForeignCpu0Percent { get; init; }
}

internal sealed record LoadResults
{
    public required LoadSettings Settings { get; init; }

    public required List<ScenarioResult> Scenarios { get; init; }

    /// <summary>VmRSS of the proxies after warm-up and at the end of the load runs.</summary>
    public Dictionary<string, long> RssKb { get; init; } = [];

    /// <summary>Audit lines the gate wrote, and the requests it was sent (everything wrk and the runner sent).</summary>
    public long AuditLines { get; init; }

    public long GateRequests { get; init; }

    public SoakResult? Soak { get; init; }

    /// <summary>The gate variants' evidence (null in the soak).</summary>
    public VariantEvidence? Variants { get; init; }
}

/// <summary>One BenchmarkDotNet case, as McpGate.Benchmarks writes it to micro.json.</summary>
internal sealed record MicroResult
{
    public required string Group { get; init; }

    public required string Name { get; init; }

    /// <summary>The benchmark's [Params] by name, e.g. <c>grants: 10000</c>, <c>case: hit</c>.</summary>
    public Dictionary<string, string> Parameters { get; init; } = [];

    public double MeanNs { get; init; }

    public double MedianNs { get; init; }

    public double ErrorNs { get; init; }

    public long AllocatedBytes { get; init; }
}

internal sealed record MicroResults
{
    public required string Job { get; init; }

    public required List<MicroResult> Results { get; init; }
}

internal sealed record MachineInfo(
    int Nproc, string CpuModel, long RamMb, string Os, string Dotnet, string Wrk, string GitCommit, string DateUtc);

/// <summary>A judged target (<see cref="Met"/> true or false), or a figure only reported (null).</summary>
internal sealed record TargetCheck(string Target, string Goal, string Measured, bool? Met);

internal sealed record Summary
{
    public required MachineInfo Machine { get; init; }

    public required string Command { get; init; }

    /// <summary><c>default</c>, <c>quick</c> (a smoke test) or <c>soak</c>.</summary>
    public required string Mode { get; init; }

    public MicroResults? Micro { get; init; }

    public LoadResults? Load { get; init; }

    public required List<TargetCheck> Targets { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(WrkResult))]
[JsonSerializable(typeof(LoadResults))]
[JsonSerializable(typeof(MicroResults))]
[JsonSerializable(typeof(Summary))]
internal sealed partial class BenchJson : JsonSerializerContext;
