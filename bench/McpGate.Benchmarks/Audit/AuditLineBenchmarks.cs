using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using McpGate.Audit;
using McpGate.Audit.Formatting;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Benchmarks.Audit;

/// <summary>
/// One audit line for an allowed <c>tools/call</c>, as the load bench's requests produce it (bob calls get_issue on
/// github under bench/policy/servers.json): the record formatted to its UTF-8 JSON line. Every audited request pays
/// this once, on the audit writer's thread but on the same cores as the requests. Reported, not judged.
/// </summary>
[BenchmarkCategory("audit")]
public class AuditLineBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private AuditRecord _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        var config = ConfigLoader.Parse(
            File.ReadAllText(RepoFiles.Find("bench/policy/servers.json")),
            "bench/policy/servers.json",
            name => name == "BENCH_UPSTREAM_URL" ? "http://127.0.0.1:1/mcp" : null);
        var bob = new Identity("bob", ["dev"], AuthSource.Bearer);
        var tool = new ToolDescriptor("get_issue", "Get one issue of a repository by its number.", ["owner", "repo", "issue_number", "include"], true, false);
        var classification = new ToolClassifier().Classify("github", ToolAclOverrides.None, tool);
        var decision = config.Evaluator.Evaluate(bob, "github", TargetKind.Tool, tool.Name, classification);
        _record = new AuditRecord
        {
            Timestamp = DateTimeOffset.UtcNow,
            Event = AuditEvents.ToolCalled,
            DecisionId = "01a205f3d61b73ce9c6fb4efc47a2180",
            TraceId = "a4da404e3c088396829785566f0679c1",
            JsonRpcId = "3",
            Subject = bob.Subject,
            Roles = config.Evaluator.EffectiveRoles(bob),
            Auth = bob.Auth.ToWire(),
            Server = "github",
            Method = "tools/call",
            Tool = tool.Name,
            Decision = decision,
            Result = AuditResults.Ok,
            DurationMs = 0.917,
            UpstreamStatus = 200,
            ArgKeys = tool.InputPropertyNames,
        };

        var line = Encoding.UTF8.GetString(Format());
        if (!decision.IsAllowed || !line.Contains("\"decision\":\"allow\"", StringComparison.Ordinal) || !line.EndsWith('\n'))
        {
            throw new InvalidOperationException($"expected an allowed tools/call line, got {line}");
        }
    }

    [Benchmark]
    public int AllowedToolCall() => Format().Length;

    private ReadOnlySpan<byte> Format()
    {
        _output.ResetWrittenCount();
        AuditRecordFormatter.WriteLine(_record, _output);
        return _output.WrittenSpan;
    }
}
