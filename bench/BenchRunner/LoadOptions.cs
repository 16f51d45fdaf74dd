namespace McpGate.Bench.Runner;

/// <summary>How the load bench runs; the three modes differ only in these numbers.</summary>
internal sealed record LoadOptions
{
    public required string Mode { get; init; }

    public required string RepoRoot { get; init; }

    public required string Configuration { get; init; }

    public required string ResultsDir { get; init; }

    public int Connections { get; init; } = 16;

    public int Threads { get; init; } = 1;

    public int DurationS { get; init; } = 8;

    public int WarmupS { get; init; } = 6;

    /// <summary>
    /// The least warm-up for a proxy (see <c>LoadBench.WarmUpAsync</c>): tiered compilation of a gate with OAuth and
    /// telemetry code still lowers its CPU per request between 40 s (about 133 µs per tools/call) and 90 s (104 µs).
    /// </summary>
    public int ProxyWarmupS { get; init; } = 90;

    /// <summary>The judged throughputs (the variants' ≥ 0.95 targets) are medians of these: one round's spread is ±8 %.</summary>
    public int CallRounds { get; init; } = 7;

    public int ListRounds { get; init; } = 2;

    public int PacedRounds { get; init; } = 2;

    /// <summary>Rounds of the stdio scenario (McpGate against supergateway, each fronting bench/StdioUpstream).</summary>
    public int StdioRounds { get; init; } = 3;

    public int SoakS { get; init; } = 600;

    /// <summary>Pin processes to CPUs (needs taskset and at least two CPUs).</summary>
    public bool Pin { get; init; } = true;

    /// <summary>The 2025-11-25 session flow (initialize through each target) is what wrk replays.</summary>
    public string Protocol { get; init; } = "2025-11-25";

    public static LoadOptions ForMode(string mode, string repoRoot, string configuration, string resultsDir)
    {
        var options = new LoadOptions { Mode = mode, RepoRoot = repoRoot, Configuration = configuration, ResultsDir = resultsDir };
        return mode switch
        {
            "quick" => options with { DurationS = 2, WarmupS = 1, ProxyWarmupS = 1, CallRounds = 1, ListRounds = 1, PacedRounds = 0, StdioRounds = 1 },
            "soak" => options with { DurationS = 0, WarmupS = 5, ProxyWarmupS = 5, CallRounds = 0, ListRounds = 0, PacedRounds = 0, StdioRounds = 0 },
            _ => options,
        };
    }
}
