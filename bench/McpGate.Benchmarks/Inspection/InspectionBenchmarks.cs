using System.Text;
using BenchmarkDotNet.Attributes;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Benchmarks.Inspection;

/// <summary>
/// <c>JsonRpcInspector.Inspect</c> on a <c>tools/call</c> body of about 1 KB and 100 KB: strict parse (UTF-8
/// check, duplicate members), method, id, tool name, argument keys. The bulk is in argument values, as in real calls
/// that send a document or a patch.
/// </summary>
[BenchmarkCategory("inspection")]
public class InspectionBenchmarks
{
    private byte[] _body = [];

    [Params("1KB", "100KB")]
    public string Size { get; set; } = "1KB";

    [GlobalSetup]
    public void Setup()
    {
        _body = BuildBody(Size == "1KB" ? 1024 : 100 * 1024);
        var result = JsonRpcInspector.Inspect(_body);
        if (!result.IsValid || result.Messages[0].Name != "create_or_update_file")
        {
            throw new InvalidOperationException($"the {Size} body did not inspect as tools/call create_or_update_file");
        }
    }

    [Benchmark]
    public InspectionResult Inspect() => JsonRpcInspector.Inspect(_body);

    internal static byte[] BuildBody(int targetBytes)
    {
        const string Head = "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"create_or_update_file\","
            + "\"arguments\":{\"owner\":\"acme\",\"repo\":\"gateway\",\"path\":\"docs/performance.md\",\"branch\":\"bench\","
            + "\"message\":\"Regenerate the performance table\",\"content\":\"";
        const string Tail = "\"},\"_meta\":{\"progressToken\":\"bench-42\"}}}";
        var fill = Math.Max(0, targetBytes - Head.Length - Tail.Length);
        var content = new StringBuilder(fill);
        const string Line = "The gate decides each call before it reaches the upstream; this line pads a realistic file body.\\n";
        while (content.Length + Line.Length <= fill)
        {
            content.Append(Line);
        }

        content.Append('x', fill - content.Length);
        return Encoding.UTF8.GetBytes(Head + content + Tail);
    }
}
