using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using McpGate.Benchmarks;
using McpGate.Benchmarks.Audit;
using McpGate.Benchmarks.Authentication;
using McpGate.Benchmarks.Classification;
using McpGate.Benchmarks.Decisions;
using McpGate.Benchmarks.Inspection;
using McpGate.Benchmarks.Lists;
using McpGate.Benchmarks.Replay;
using McpGate.Benchmarks.Sessions;
using McpGate.Benchmarks.Telemetry;
using Perfolizer.Horology;

// McpGate.Benchmarks [--quick] [--out FILE] [--artifacts DIR] [--filter GLOB]...
//   --quick: BenchmarkDotNet's dry job (one invocation per case): proves every benchmark runs, measures nothing.
// McpGate.Benchmarks --replay ROWS [ROWS...]: the `mcp acl replay` engine over a generated log (see ReplayBench).
// Writes FILE (default micro.json): one entry per case with mean/median/error in ns and allocated bytes per op.
var quick = false;
var inProcess = true;
var output = "micro.json";
var artifacts = Path.Combine(Path.GetTempPath(), "mcpgate-bdn");
var filters = new List<string>();
if (args.Length > 1 && args[0] == "--replay")
{
    return ReplayBench.Run([.. args.Skip(1).Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture))]);
}

for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--out-of-process":
            inProcess = false;
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "--artifacts" when i + 1 < args.Length:
            artifacts = args[++i];
            break;
        case "--filter" when i + 1 < args.Length:
            filters.Add(args[++i]);
            break;
        default:
            Console.Error.WriteLine("usage: McpGate.Benchmarks [--quick] [--out FILE] [--artifacts DIR] [--filter GLOB]...");
            return 2;
    }
}

// In-process: no per-benchmark project generation and build, which on a 2-core machine would cost minutes.
var job = quick
    ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("dry")
    : (inProcess ? Job.Default.WithToolchain(InProcessEmitToolchain.Instance) : Job.Default)
        .WithWarmupCount(3)
        .WithIterationCount(8)
        .WithIterationTime(TimeInterval.FromMilliseconds(150))
        .WithId("short");
var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(ConsoleLogger.Default)
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.JoinSummary);
if (quick)
{
    // The quick run only proves the benchmarks execute; CI may run it on a Debug build.
    config = config.WithOptions(ConfigOptions.DisableOptimizationsValidator);
}

if (filters.Count > 0)
{
    config = config.AddFilter(new GlobFilter([.. filters]));
}

Type[] types =
[
    typeof(DecisionBenchmarks),
    typeof(DecisionOneRoleBenchmarks),
    typeof(ClassifierBenchmarks),
    typeof(InspectionBenchmarks),
    typeof(ListFilterBenchmarks),
    typeof(AuditLineBenchmarks),
    typeof(SessionSealerBenchmarks),
    typeof(OAuthValidationBenchmarks),
    typeof(MetricsRecordingBenchmarks),
];
var summaries = BenchmarkRunner.Run(types, config);
var results = MicroReport.Collect(summaries, out var failures);
var jobText = quick
    ? "BenchmarkDotNet dry job (1 invocation per case: a smoke test, not a measurement)"
    : "BenchmarkDotNet 0.15.8, in-process, 3 warm-up + 8 measured iterations of ~150 ms, MemoryDiagnoser";
var directory = Path.GetDirectoryName(Path.GetFullPath(output));
if (directory is not null)
{
    Directory.CreateDirectory(directory);
}

await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new MicroFile(jobText, results), MicroJson.Default.MicroFile));
Console.WriteLine($"wrote {output} ({results.Count} cases)");
foreach (var failure in failures)
{
    Console.Error.WriteLine($"benchmark failed: {failure}");
}

return failures.Count == 0 && results.Count > 0 ? 0 : 1;
