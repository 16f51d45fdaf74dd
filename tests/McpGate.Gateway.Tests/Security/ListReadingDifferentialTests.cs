using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using McpGate.Mcp.JsonRpc;
using McpGate.Mcp.Lists;
using McpGate.Policy.Classification;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// Issue 13's differential check for responses: list answers in many forms (duplicate and escaped members, ids a
/// JavaScript client coerces, batches, event-stream framings) are filtered by the gate's code, then read by the
/// official TypeScript SDK client's own parsers (tests/clients/typescript/list-reader.mjs) and by the C# SDK client's
/// (<see cref="SseParser"/>, <see cref="JsonRpcMessage"/>, <see cref="ListToolsResult"/>). Whatever either client would
/// show must exclude what the gate hid — and the same forms unfiltered must show it, so the check can fail.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class ListReadingDifferentialTests
{
    private const int RequestId = 7;

    private static readonly JsonRpcId s_requestId = JsonRpcId.TryParse("7", out var id) ? id : default;

    [Fact]
    public async Task EveryListForm_TheTypeScriptClientNeverShowsAToolTheGateHid()
    {
        var cases = Cases().ToList();
        var filtered = new List<(string Mode, byte[] Body)>();
        foreach (var (mode, body) in cases)
        {
            filtered.Add((mode, mode == "json" ? FilterJson(body) : await FilterSseAsync(body)));
        }

        Check(await ReadWithTypeScriptClientAsync(cases), await ReadWithTypeScriptClientAsync(filtered), "TypeScript");
        Check(cases.Select(ReadWithCSharpClient).ToList(), filtered.Select(ReadWithCSharpClient).ToList(), "C#");

        void Check(List<string[]?> shownUnfiltered, List<string[]?> shownFiltered, string client)
        {

            var leaks = shownFiltered
                .Select((tools, i) => (tools, i))
                .Where(x => x.tools?.Contains("delete_file") == true)
                .Select(x => $"{cases[x.i].Mode}: {Encoding.UTF8.GetString(cases[x.i].Body)} → {Encoding.UTF8.GetString(filtered[x.i].Body)}")
                .ToList();
            leaks.Should().BeEmpty($"the {client} client must not see a hidden tool");
            shownUnfiltered.Count(tools => tools?.Contains("delete_file") == true).Should().BeGreaterThan(cases.Count / 6, $"many forms show the hidden tool to the {client} client when nothing filters them");
            shownFiltered.Count(tools => tools?.Contains("read_file") == true).Should().BeGreaterThan(cases.Count / 6, "filtering keeps what the caller may see");
        }
    }

    /// <summary>
    /// What the C# SDK client would show: its transport reads an event stream with <see cref="SseParser"/> (events of
    /// type "message"), deserialises each message as a <see cref="JsonRpcMessage"/>, and matches a response to its
    /// request by <see cref="RequestId"/> (a string id never equals a number).
    /// </summary>
    private static string[]? ReadWithCSharpClient((string Mode, byte[] Body) response)
    {
        var messages = new List<JsonRpcMessage>();
        try
        {
            if (response.Mode == "json")
            {
                using var document = JsonDocument.Parse(response.Body);
                var elements = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
                messages.AddRange(elements.Select(e => e.Deserialize<JsonRpcMessage>(McpJsonUtilities.DefaultOptions)!));
            }
            else
            {
                foreach (var item in SseParser.Create(new MemoryStream(response.Body)).Enumerate())
                {
                    if (item.EventType != "message" || item.Data.Length == 0)
                    {
                        continue;
                    }

                    try
                    {
                        messages.Add(JsonSerializer.Deserialize<JsonRpcMessage>(item.Data, McpJsonUtilities.DefaultOptions)!);
                    }
                    catch (JsonException)
                    {
                        // The client logs a message it cannot read and reads on.
                    }
                }
            }

            var match = messages.OfType<JsonRpcResponse>().FirstOrDefault(m => m.Id.Equals(new RequestId(RequestId)));
            return match?.Result?.Deserialize<ListToolsResult>(McpJsonUtilities.DefaultOptions)?.Tools.Select(t => t.Name).ToArray();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<(string Mode, byte[] Body)> Cases()
    {
        const string tools = """[{"name":"read_file","inputSchema":{"type":"object"}},{"name":"delete_file","inputSchema":{"type":"object"}}]""";
        string[] ids = ["7", "\"7\"", "7.0", "7e0", "\"07\"", "8", "9007199254740992", "\" 7\""];
        string[] results =
        [
            "{\"tools\":" + tools + "}",
            "{\"tools\":[],\"tools\":" + tools + "}",
            "{\"t\\u006fols\":" + tools + "}",
            "{\"tools\":[{\"name\":\"read_file\",\"inputSchema\":{\"type\":\"object\"}},{\"name\":\"read_file\",\"name\":\"delete_file\",\"inputSchema\":{\"type\":\"object\"}}]}",
            "{\"tools\":[{\"name\":\"read_file\",\"inputSchema\":{\"type\":\"object\"}},{\"n\\u0061me\":\"delete_file\",\"inputSchema\":{\"type\":\"object\"}}]}",
            "{\"tools\":" + tools + ",\"cacheScope\":\"public\"}",
        ];

        foreach (var id in ids)
        {
            foreach (var result in results)
            {
                var message = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
                yield return ("json", Encoding.UTF8.GetBytes(message));
                yield return ("sse", Encoding.UTF8.GetBytes("event: message\nid: 1\ndata: " + message + "\n\n"));
            }
        }

        var plain = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"tools\":" + tools + "}}";
        var other = plain.Replace("\"id\":7", "\"id\":8", StringComparison.Ordinal);
        var duplicateResult = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"tools\":[]},\"result\":{\"tools\":" + tools + "}}";
        yield return ("json", Encoding.UTF8.GetBytes("[" + other + "," + plain + "]"));
        yield return ("json", Encoding.UTF8.GetBytes(duplicateResult));
        yield return ("sse", Encoding.UTF8.GetBytes(("data: " + plain + "\n\n").Replace("\n", "\r\n", StringComparison.Ordinal)));
        yield return ("sse", Encoding.UTF8.GetBytes(("data: " + plain + "\n\n").Replace("\n", "\r", StringComparison.Ordinal)));
        yield return ("sse", Encoding.UTF8.GetBytes("\uFEFFdata: " + plain + "\n\n"));
        yield return ("sse", Encoding.UTF8.GetBytes("data:" + plain + "\n\n"));
        yield return ("sse", Encoding.UTF8.GetBytes("data: " + plain[..40] + "\ndata: " + plain[40..] + "\n\n"));
        yield return ("sse", Encoding.UTF8.GetBytes(": keep-alive\nretry: 10\n\ndata: " + other + "\n\ndata: " + plain + "\n\n"));
        yield return ("sse", Encoding.UTF8.GetBytes("data: " + plain));
        yield return ("sse", Encoding.UTF8.GetBytes("data: " + duplicateResult + "\n\n"));
        yield return ("sse", Encoding.UTF8.GetBytes("event:message\ndata: " + plain + "\n\n"));
        yield return ("sse", Encoding.UTF8.GetBytes("data: [" + plain + "]\n\n"));
    }

    private static byte[] FilterJson(byte[] body)
    {
        var output = new ArrayBufferWriter<byte>();
        ListResponseFilter.Filter(body, ListKind.Tools, HideDeleteFile.Instance, output, s_requestId);
        return output.WrittenSpan.ToArray();
    }

    private static async Task<byte[]> FilterSseAsync(byte[] body)
    {
        using var client = new MemoryStream();
        await SseListFilter.CopyAsync(new MemoryStream(body), client, s_requestId, ListKind.Tools, HideDeleteFile.Instance, null, privateCache: false, CancellationToken.None);
        return client.ToArray();
    }

    private static async Task<List<string[]?>> ReadWithTypeScriptClientAsync(IReadOnlyList<(string Mode, byte[] Body)> cases)
    {
        var file = Path.Combine(Path.GetTempPath(), $"mcpgate-lists-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(cases.Select(c => new { mode = c.Mode, body = Convert.ToBase64String(c.Body), requestId = RequestId })));
        try
        {
            var (exitCode, stdout, stderr) = await NodePeers.RunNodeAsync($"list-reader.mjs \"{file}\"", timeout: TimeSpan.FromMinutes(1));
            exitCode.Should().Be(0, stderr);
            using var results = JsonDocument.Parse(stdout);
            return results.RootElement.EnumerateArray()
                .Select(r => r.GetProperty("tools") is { ValueKind: JsonValueKind.Array } names ? names.EnumerateArray().Select(n => n.GetString()!).ToArray() : null)
                .ToList();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class HideDeleteFile : IListItemVisibility
    {
        public static readonly HideDeleteFile Instance = new();

        public bool IsToolVisible(ToolDescriptor tool) => tool.Name != "delete_file";

        public bool IsPromptVisible(string name) => true;

        public bool IsResourceVisible(string uri) => true;

        public bool IsResourceTemplateVisible(string uriTemplate) => true;
    }
}
