using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using McpGate.Audit;
using McpGate.Audit.Formatting;
using McpGate.Analysis.Replay;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Benchmarks.Replay;

/// <summary>
/// <c>McpGate.Benchmarks --replay ROWS...</c>: the <c>mcp acl replay</c> engine over a generated audit log of ROWS
/// lines written by the gate's own formatter (the bench policy's decisions, ~5% list and auth lines mixed in), once
/// against the recorded decisions and once with a baseline (two evaluations a row). Reports wall time, rows per
/// second, bytes allocated, and the peak managed heap and working set sampled while it runs: "memory flat" means the
/// peak does not grow with ROWS. Not a BenchmarkDotNet case: one replay of a million rows is the measurement.
/// </summary>
internal static class ReplayBench
{
    private static readonly (string Server, string Tool, ToolKind? Kind)[] s_targets =
    [
        ("github", "get_issue", ToolKind.Read), ("github", "list_pull_requests", ToolKind.Read), ("github", "create_issue", ToolKind.Write),
        ("github", "create_pull_request", ToolKind.Write), ("github", "merge_pull_request", ToolKind.Write), ("github", "frobnicate", ToolKind.Ambiguous),
        ("grafana", "get_dashboard", ToolKind.Read), ("grafana", "update_dashboard", ToolKind.Write), ("grafana", "search_dashboards", ToolKind.Read),
        ("sentry", "list_issues", ToolKind.Read), ("sentry", "resolve_issue", ToolKind.Write), ("prod-db", "get_rows", ToolKind.Read),
        ("prod-db", "execute_sql", ToolKind.Write), ("prod-db", "unknown_tool", null),
    ];

    private static readonly (string Subject, string[] CredentialRoles)[] s_callers =
    [
        ("bob", ["dev"]), ("alice", ["admin"]), ("charlie", []), ("dave", ["readonly"]),
    ];

    public static int Run(IReadOnlyList<int> sizes)
    {
        var policy = RepoFiles.Find("bench/policy/servers.json");
        var text = File.ReadAllText(policy);
        static string? Environment(string name) => name == "BENCH_UPSTREAM_URL" ? "http://127.0.0.1:9/mcp" : null;
        var current = ConfigLoader.Parse(text, policy, Environment);

        // The change under review: dev may no longer update grafana dashboards; charlie may now merge pull requests.
        var candidateText = text
            .Replace("\"tools\": [\"update_dashboard\", \"update_panel\"]", "\"tools\": [\"update_panel\"]", StringComparison.Ordinal)
            .Replace("\"tools\": [\"create_issue\"] } ] }", "\"tools\": [\"create_issue\", \"merge_pull_request\"] } ] }", StringComparison.Ordinal);
        if (candidateText == text)
        {
            throw new InvalidOperationException("bench/policy/servers.json changed: the replay bench's candidate edit no longer applies");
        }
        var candidate = ConfigLoader.Parse(candidateText, "candidate.json", Environment);

        Console.WriteLine("rows       mode       seconds  cpu s   rows/s      allocated  peak heap  peak working set  loosened  tightened");
        foreach (var rows in sizes)
        {
            var log = Path.Combine(Path.GetTempPath(), $"mcpgate-replay-bench-{rows}.jsonl");
            Generate(log, rows, current);
            var bytes = new FileInfo(log).Length;
            try
            {
                Measure(log, rows, candidate, baseline: null);
                Measure(log, rows, candidate, current);
            }
            finally
            {
                File.Delete(log);
            }

            Console.WriteLine($"           (log: {bytes / (1024.0 * 1024.0):0} MiB)");
        }

        return 0;
    }

    private static void Measure(string log, int rows, GateConfig candidate, GateConfig? baseline)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        long peakHeap = GC.GetTotalMemory(false), peakWorkingSet = System.Environment.WorkingSet;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                peakWorkingSet = Math.Max(peakWorkingSet, System.Environment.WorkingSet);
                await Task.Delay(10);
            }
        });

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var replayer = new PolicyReplayer(candidate, baseline, since: null);
        using (var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan))
        {
            replayer.Replay(stream, CancellationToken.None);
        }

        var report = replayer.Finish();
        stopwatch.Stop();
        process.Refresh();

        // CPU time as well as wall time: on a shared machine the wall clock also measures the neighbours.
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        done.Cancel();
        sampler.Wait();
        if (report.Lines != rows)
        {
            throw new InvalidOperationException($"replayed {report.Lines} lines of {rows}");
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows,-10} {(baseline is null ? "recorded" : "baseline"),-10} {seconds,7:0.00}  {cpu,5:0.00}  {rows / seconds,10:N0}  {Mb(allocated),9}  {Mb(peakHeap),9}  {Mb(peakWorkingSet),16}  {report.Loosened,8:N0}  {report.Tightened,9:N0}"));
    }

    /// <summary>Writes <paramref name="rows"/> lines with the gate's own formatter, deciding each with the current policy.</summary>
    private static void Generate(string path, int rows, GateConfig config)
    {
        var random = new Random(18);
        var classifications = new Dictionary<ToolKind, ToolClassification>
        {
            [ToolKind.Read] = new(ToolKind.Read, ClassificationSource.Annotation, 0.95, [], false, 0),
            [ToolKind.Write] = new(ToolKind.Write, ClassificationSource.Classifier, 0.6, [], false, -4),
            [ToolKind.Ambiguous] = new(ToolKind.Ambiguous, ClassificationSource.Fallback, 0, [], false, 0),
        };
        var identities = s_callers.Select(c => new Identity(c.Subject, c.CredentialRoles, AuthSource.Bearer)).ToArray();
        var start = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromDays(7) / rows;
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        for (var i = 0; i < rows; i++)
        {
            var identity = identities[random.Next(identities.Length)];
            var (server, tool, kind) = s_targets[random.Next(s_targets.Length)];
            var timestamp = start + (step * i);
            AuditRecord record;
            if (i % 20 == 19)
            {
                record = new AuditRecord
                {
                    Timestamp = timestamp, Event = AuditEvents.ListFiltered, Subject = identity.Subject, Roles = config.Evaluator.EffectiveRoles(identity),
                    CredentialRoles = identity.Roles, Auth = "bearer", Server = server, Method = "tools/list", Result = AuditResults.Ok, Hidden = ["merge_pull_request"],
                };
            }
            else
            {
                var classification = kind is { } k ? classifications[k] : null;
                var decision = config.Evaluator.Evaluate(identity, server, TargetKind.Tool, tool, classification);
                record = new AuditRecord
                {
                    Timestamp = timestamp, Event = AuditEvents.ToolCalled, DecisionId = Guid.NewGuid().ToString("N"), TraceId = Guid.NewGuid().ToString("N"),
                    JsonRpcId = (i % 1000).ToString(CultureInfo.InvariantCulture), Subject = identity.Subject, Roles = config.Evaluator.EffectiveRoles(identity),
                    CredentialRoles = identity.Roles, Auth = "bearer", Server = server, Method = "tools/call", Tool = tool, Decision = decision,
                    Result = decision.IsAllowed ? AuditResults.Ok : AuditResults.CapabilityDenied, DurationMs = decision.IsAllowed ? 1.234 : 0,
                    UpstreamStatus = decision.IsAllowed ? 200 : null, ArgKeys = ["id", "body"],
                };
            }

            AuditRecordFormatter.WriteLine(record, buffer);
            if (buffer.WrittenCount > (1 << 20) - 4096)
            {
                file.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }

        file.Write(buffer.WrittenSpan);
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MiB");
}
