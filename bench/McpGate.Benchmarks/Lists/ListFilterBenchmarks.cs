using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using McpGate.Bench;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Benchmarks.Lists;

/// <summary>
/// Filtering a <c>tools/list</c> response of 1,000 tools for bob under the load bench's policy
/// (bench/policy/servers.json): about half the tools are hidden. Visibility is decided the way the gateway does it
/// (classifier through its cache, then the evaluator), so this is the whole per-response cost, in a plain JSON body
/// and in one SSE <c>data:</c> event. Target: ≤ 1 ms.
/// </summary>
[BenchmarkCategory("list_filter")]
public class ListFilterBenchmarks
{
    // The request id the filtered responses answer, read as the gate reads ids: off the wire.
    private static readonly JsonRpcId s_requestId = JsonRpcId.TryParse("1", out var id) ? id : throw new InvalidOperationException();

    private const int ToolCount = 1_000;

    private readonly ArrayBufferWriter<byte> _output = new(ToolCount * 512);
    private readonly MemoryStream _client = new(ToolCount * 512);
    private byte[] _json = [];
    private MemoryStream _sse = null!;
    private PolicyVisibility _visibility = null!;
    private PolicyVisibility _repeatVisibility = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = ToolCatalogJson.ListResponse(ToolCount);
        _sse = new MemoryStream([.. "event: message\ndata: "u8, .. _json, .. "\n\n"u8], writable: false);
        var config = ConfigLoader.Parse(
            File.ReadAllText(RepoFiles.Find("bench/policy/servers.json")),
            "bench/policy/servers.json",
            name => name == "BENCH_UPSTREAM_URL" ? "http://127.0.0.1:1/mcp" : null);
        var bob = new Identity("bob", ["dev"], AuthSource.Bearer);
        _visibility = new PolicyVisibility(config, "github", bob, toolDescriptors: null);
        _repeatVisibility = new PolicyVisibility(config, "github", bob, new ToolDescriptorMemo());
        _output.ResetWrittenCount();
        ListResponseFilter.Filter(_json, ListKind.Tools, _repeatVisibility, _output, s_requestId);

        _output.ResetWrittenCount();
        var outcome = ListResponseFilter.Filter(_json, ListKind.Tools, _visibility, _output, s_requestId);
        if (!outcome.IsListResult || outcome.Kept is 0 or ToolCount)
        {
            throw new InvalidOperationException($"expected a partly hidden list, kept {outcome.Kept} of {ToolCount}");
        }

        FilterSse().GetAwaiter().GetResult();
        if (!Encoding.UTF8.GetString(_client.ToArray()).Contains("\"get_issue\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the SSE filter lost a visible tool");
        }
    }

    [Benchmark]
    public int Json()
    {
        _output.ResetWrittenCount();
        return ListResponseFilter.Filter(_json, ListKind.Tools, _visibility, _output, s_requestId).Kept;
    }

    [Benchmark]
    public Task Sse() => FilterSse();

    /// <summary>The same list again, as the gateway sees an upstream's repeated answer: every tool's entry is found in
    /// the upstream's <see cref="ToolDescriptorMemo"/>, so no strings are built. <see cref="Json"/> is the first sight of
    /// every tool, the case the target is judged on.</summary>
    [Benchmark]
    [BenchmarkCategory("list_filter_breakdown")]
    public int JsonRepeated()
    {
        _output.ResetWrittenCount();
        return ListResponseFilter.Filter(_json, ListKind.Tools, _repeatVisibility, _output, s_requestId).Kept;
    }

    /// <summary>The same JSON scan with every tool visible: what parsing and copying cost without any policy work.</summary>
    [Benchmark]
    [BenchmarkCategory("list_filter_breakdown")]
    public int JsonAllVisible()
    {
        _output.ResetWrittenCount();
        return ListResponseFilter.Filter(_json, ListKind.Tools, AllVisible.Instance, _output, s_requestId).Kept;
    }

    private Task FilterSse()
    {
        _sse.Position = 0;
        _client.SetLength(0);
        return SseListFilter.CopyAsync(_sse, _client, s_requestId, ListKind.Tools, _visibility, null, false, CancellationToken.None);
    }

    private sealed class AllVisible : IListItemVisibility
    {
        public static readonly AllVisible Instance = new();

        public bool IsToolVisible(ToolDescriptor tool) => true;

        public bool IsPromptVisible(string name) => true;

        public bool IsResourceVisible(string uri) => true;

        public bool IsResourceTemplateVisible(string uriTemplate) => true;
    }

    /// <summary>What the gateway's list visibility does: classify through the cache, then decide.</summary>
    private sealed class PolicyVisibility(GateConfig config, string server, Identity identity, ToolDescriptorMemo? toolDescriptors) : IListItemVisibility
    {
        public ToolDescriptorMemo? ToolDescriptors => toolDescriptors;

        private readonly ToolClassifier _classifier = new();
        private readonly ToolAclOverrides _overrides = config.Servers[server].ToolAcl;

        public bool IsToolVisible(ToolDescriptor tool) =>
            config.Evaluator.Evaluate(identity, server, TargetKind.Tool, tool.Name, _classifier.Classify(server, _overrides, tool)).IsAllowed;

        public bool IsPromptVisible(string name) =>
            config.Evaluator.Evaluate(identity, server, TargetKind.Prompt, name, null).IsAllowed;

        public bool IsResourceVisible(string uri) =>
            config.Evaluator.Evaluate(identity, server, TargetKind.Resource, uri, null).IsAllowed;

        public bool IsResourceTemplateVisible(string uriTemplate) =>
            config.Evaluator.Evaluate(identity, server, TargetKind.Resource, uriTemplate, null).IsAllowed;
    }
}
