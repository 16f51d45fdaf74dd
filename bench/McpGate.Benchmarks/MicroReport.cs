using System.Reflection;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
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

                var group = Group(benchmark.Descriptor);
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

    /// <summary>A method's own [BenchmarkCategory] wins over its class's, so one class can report two groups.</summary>
    private static string Group(Descriptor descriptor)
    {
        var own = descriptor.WorkloadMethod.GetCustomAttribute<BenchmarkCategoryAttribute>();
        if (own is { Categories.Length: > 0 })
        {
            return own.Categories[0];
        }

        return descriptor.Type.GetCustomAttribute<BenchmarkCategoryAttribute>() is { Categories.Length: > 0 } type
            ? type.Categories[0]
            : descriptor.Type.Name;
    }

    // A dry run has one measurement: its error margin is NaN, which JSON cannot carry.
    private static double Finite(double value) => double.IsFinite(value) ? Math.Round(value, 3) : 0;
}
