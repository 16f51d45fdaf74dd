using System.Buffers;
using System.Text.Json;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;

namespace McpGate.Fuzz.Targets;

/// <summary>
/// <see cref="ListResponseFilter.Filter"/> on arbitrary bytes (the first byte picks the list kind). Never throws; the
/// output is always valid JSON; no hidden item appears in it.
/// </summary>
internal static class ListFilterTarget
{
    // The request id the filtered responses answer, read as the gate reads ids: off the wire.
    private static readonly JsonRpcId s_requestId = JsonRpcId.TryParse("7", out var id) ? id : throw new InvalidOperationException();

    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 512 };

    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var kind = (ListKind)(input[0] % 4);
        var body = input.AsSpan(1);
        var output = new ArrayBufferWriter<byte>();
        var outcome = ListResponseFilter.Filter(body, kind, FuzzVisibility.Instance, output, s_requestId);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(output.WrittenMemory, s_options);
        }
        catch (JsonException ex)
        {
            throw new InvariantBroken($"the filter wrote invalid JSON ({ex.Message}); malformed={outcome.IsMalformed}");
        }

        using (document)
        {
            ListChecks.NoHiddenItem(document.RootElement, kind, requestId: null);
        }
    }
}
