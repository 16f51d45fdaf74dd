namespace McpGate.Bench;

/// <summary>The pre-serialized <c>result</c> members the bench's upstreams (FastUpstream over HTTP, StdioUpstream over stdio) answer with.</summary>
internal sealed class CannedCatalog
{
    private CannedCatalog(byte[] listResult, byte[] callResult, byte[] initializeResult)
    {
        ListResult = listResult;
        CallResult = callResult;
        InitializeResult = initializeResult;
    }

    public byte[] ListResult { get; }

    public byte[] CallResult { get; }

    public byte[] InitializeResult { get; }

    public static byte[] EmptyResult { get; } = "{}"u8.ToArray();

    public static CannedCatalog Build(int toolCount)
    {
        // A result about the size of a real issue lookup (~0.5 KB), not a toy "ok".
        var call = """
            {"content":[{"type":"text","text":"{\"number\":4217,\"title\":\"Gate latency regression on tools/list\",\"state\":\"open\",\"author\":\"bob\",\"labels\":[\"perf\",\"gateway\"],\"comments\":3,\"created_at\":\"2026-11-20T09:14:02Z\",\"updated_at\":\"2026-11-21T16:40:11Z\",\"body\":\"p99 went from 2.1 ms to 3.4 ms after the list filter landed; see the attached wrk output and the flame graph.\"}"}],"isError":false}
            """u8.ToArray();
        var initialize = """
            {"protocolVersion":"2025-11-25","capabilities":{"tools":{"listChanged":true}},"serverInfo":{"name":"fast-upstream","version":"1.0.0"}}
            """u8.ToArray();
        return new CannedCatalog(ToolCatalogJson.ListResult(toolCount), call, initialize);
    }
}
