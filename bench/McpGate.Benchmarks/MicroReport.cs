using System.Text.Json.Serialization;
using BenchmarkDotNet.Reports;

namespace McpGate.Benchmarks;

/// <summary>One case as bench/BenchRunner reads it (snake_case JSON, times in nanoseconds).</summary>
internal sealed record MicroCase(
    string Group,
    string Name,
    Dictionary<string, string> Parameters,
    double MeanNs,
    double MedianNs,
    double ErrorNs,
    long AllocatedBytes);

internal sealed record MicroFile(string Job, List<MicroCase> Results);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(MicroFile))]
internal sealed partial class MicroJson : JsonSerializerContext;

internal static class MicroReport
{
    public static List<MicroCase> Collect(IEnumerable<Summary> summaries, out List<string> failures)
    {
        var cases = new List<MicroCase>();
        failures = [];
        foreach (var summary in summaries)
        {
            foreach (var error in summary.ValidationErrors)
            {
                if (error.IsCritical)
                {
                    failures.Add(error.Message);
                }
            }

            foreach (var report in summary.Reports)
            {
                var benchmark = report.BenchmarkCase;
                var stats = report.ResultStatistics;
                if (!report.Success || stats is null)
                {
                    failures.Add(benchmark.DisplayInfo);
                    continue;
                }

                var parameters = new Dictionary<string, string>();
                foreach (var parameter in benchmark.Parameters.Items)
                {
                    parameters[parameter.Name.ToLowerInvariant()] = parameter.Value?.ToString() ?? "null";
                }

                var group = benchmark.Descriptor.Categories.Length > 0 ? benchmark.Descriptor.Categories[0] : benchmark.Descriptor.Type.Name;
                cases.Add(new MicroCase(
                    group,
                    benchmark.Descriptor.WorkloadMethod.Name.ToLowerInvariant(),
                    parameters,
                    Finite(stats.Mean),
                    Finite(stats.Median),
                    Finite(stats.ConfidenceInterval.Margin),
                    report.GcStats.GetBytesAllocatedPerOperation(benchmark) ?? -1));
            }
        }

        return cases;
    }

    // A dry run has one measurement: its error margin is NaN, which JSON cannot carry.
    private static double Finite(double value) => double.IsFinite(value) ? Math.Round(value, 3) : 0;
}
