using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using McpGate.Gateway.Tests.Functional;
using McpGate.Gateway.Tests.Security;
using McpGate.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary>
/// One reading at the stdio bridge: hostile bodies go through the gate to a real stdio child
/// (tests/peers/stdio/echo-server.mjs) that logs every line it receives, as bytes and as JavaScript's JSON.parse reads
/// it. Each body is either refused (the child receives nothing) or the child receives the very bytes the gate
/// inspected, only the id and progress token swapped, and reads the method, tool, arguments and resource URI the
/// allowed audit row recorded. docs/stdio.md, "One reading".
/// </summary>
[Trait("Category", "Process")]
public sealed class StdioOneReadingTests
{
    private const string ReaderToken = "stdio-reader-token";
    private const string Args = "\"arguments\":{\"path\":\"/public/a\"}";

    // What the gate itself sends the child (discovery, initialization): not the caller's.
    private static readonly HashSet<string> s_gateOwn = ["initialize", "notifications/initialized", "tools/list", "resources/list", "prompts/list", "resources/templates/list", "ping", "server/discover"];

    [Fact]
    public async Task Every_hostile_body_is_refused_or_reaches_the_child_as_the_bytes_the_gate_decided_and_audited()
    {
        using var directory = new TempDirectory();
        var log = directory.WriteFile("received.jsonl", "");
        await using var gate = await StartGateAsync(log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var findings = new List<string>();
        var ran = 0;

        foreach (var variant in Variants())
        {
            var receivedBefore = Received(log).Count;
            var auditBefore = gate.AuditLines().Count;
            using var response = await OneReadingTests.PostAsync(http, gate.McpUrl("files"), variant.Body, "application/json", ReaderToken);
            var answer = await response.Content.ReadAsStringAsync();

            // The child logs a line before it answers it, so once the caller has the answers the log holds every line.
            var received = Received(log).Skip(receivedBefore).Where(r => !s_gateOwn.Contains(Text(r.Read, "method") ?? "")).ToList();
            var rows = received.Count == 0 ? gate.AuditLines()
                : await WaitOrNowAsync(gate, ls => AllowedRows(ls.Skip(auditBefore)).Count() >= received.Count);
            var allowed = AllowedRows(rows.Skip(auditBefore)).ToList();
            ran += received.Count;

            if ((int)response.StatusCode >= 400 && received.Count > 0)
            {
                findings.Add($"{variant}: refused with {(int)response.StatusCode}, yet the child received {received.Count} message(s)");
            }

            switch (variant.Expect)
            {
                case Expect.Refused when (int)response.StatusCode != 400:
                    findings.Add($"{variant}: expected 400, got {(int)response.StatusCode} {answer}");
                    break;
                case Expect.NothingRuns or Expect.Refused when received.Count > 0:
                    findings.Add($"{variant}: expected nothing to run, the child received {received.Count} message(s)");
                    break;
                case Expect.Runs when received.Count != variant.Elements.Length:
                    findings.Add($"{variant}: expected the child to receive {variant.Elements.Length} message(s), it received {received.Count} (HTTP {(int)response.StatusCode} {answer})");
                    break;
            }

            foreach (var message in received)
            {
                var read = message.Read;
                if (read.TryGetProperty("error", out var error))
                {
                    findings.Add($"{variant}: the child could not parse what it received ({error}): {Encoding.UTF8.GetString(message.Raw)}");
                    continue;
                }

                var target = Text(read, "name") ?? Text(read, "uri");
                var keys = read.GetProperty("argKeys").ValueKind == JsonValueKind.Array ? read.GetProperty("argKeys").EnumerateArray().Select(k => k.GetString()!).Order(StringComparer.Ordinal).ToList() : [];
                if (!allowed.Any(row => row.Method == Text(read, "method") && row.Target == target && row.ArgKeys.SequenceEqual(keys)))
                {
                    findings.Add($"{variant}: the child read {Text(read, "method")} {target} [{string.Join(",", keys)}], the gate allowed [{string.Join("; ", allowed)}]");
                }

                if (variant.Elements.Length > 0 && !variant.Elements.Any(element => IsInspectedBytes(element, message)))
                {
                    findings.Add($"{variant}: the child received other bytes than the gate inspected: {Encoding.UTF8.GetString(message.Raw)}");
                }
            }

            if (variant.Expect == Expect.Runs && (int)response.StatusCode == 200 && variant.AnswerIds.Any(id => !answer.Contains("\"id\":" + id, StringComparison.Ordinal)))
            {
                findings.Add($"{variant}: the caller's answer does not carry its ids [{string.Join(",", variant.AnswerIds)}]: {answer}");
            }
        }

        findings.Should().BeEmpty();
        ran.Should().BeGreaterThanOrEqualTo(15, "plenty of the forms must reach the child, or agreement is not tested");
    }

    /// <summary>
    /// A caller cancels a call still in flight, naming its id another way than it sent it: the gate reads an id as a
    /// JSON value, as everywhere else (<c>"a\u0062"</c> is <c>"ab"</c>, <c>907.0</c> is <c>907</c>, never <c>"907"</c>), so
    /// the cancellation reaches the child under the child's id for the call.
    /// </summary>
    [Fact]
    public async Task A_cancellation_reaches_the_child_however_the_caller_spells_the_id_it_names()
    {
        using var directory = new TempDirectory();
        var log = directory.WriteFile("received.jsonl", "");
        await using var gate = await StartGateAsync(log);
        await using var client = await StdioPeers.ConnectAsync(gate, ReaderToken, TestMcpClient.LegacyProtocolVersion);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        (string Sent, string CancelledAs, bool Reaches)[] cases =
        [
            ("\"a\\u0062\"", "\"ab\"", true),
            ("\"cd\"", "\"\\u0063d\"", true),
            ("\"e\\u0066\"", "\"e\\u0066\"", true),
            ("907", "907.0", true),
            ("908", "9.08e2", true),
            ("909", "\"909\"", false),
        ];
        var findings = new List<string>();

        for (var n = 0; n < cases.Length; n++)
        {
            var (sent, cancelledAs, reaches) = cases[n];
            using var abandon = new CancellationTokenSource();
            var call = PostOnSessionAsync(http, gate, client.SessionId!, "{\"jsonrpc\":\"2.0\",\"id\":" + sent + ",\"method\":\"tools/call\",\"params\":{\"name\":\"wait\",\"arguments\":{\"case\":" + n.ToString(CultureInfo.InvariantCulture) + "}}}", abandon.Token);
            long? childId = null;
            (await StdioPeers.UntilAsync(() => (childId = ReceivedCall(log, n)) is not null)).Should().BeTrue($"the call {sent} reached the child");

            using (var cancelled = await PostOnSessionAsync(http, gate, client.SessionId!, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":" + cancelledAs + ",\"reason\":\"case " + n.ToString(CultureInfo.InvariantCulture) + "\"}}", CancellationToken.None))
            {
                cancelled.StatusCode.Should().Be(HttpStatusCode.Accepted);
            }

            // The child reads its stdin in order and logs a line before it answers: once the ping is answered, a
            // cancellation the gate passed on is in the log.
            await client.PingAsync();
            var received = Received(log).Select(r => JsonDocument.Parse(r.Raw).RootElement)
                .Where(m => Text(m, "method") == "notifications/cancelled" && Text(m.GetProperty("params"), "reason") == $"case {n}")
                .Select(m => m.GetProperty("params").GetProperty("requestId").GetRawText()).ToList();
            string[] expected = reaches ? [childId!.Value.ToString(CultureInfo.InvariantCulture)] : [];
            if (!received.SequenceEqual(expected))
            {
                findings.Add($"sent {sent}, cancelled as {cancelledAs}: the child received [{string.Join(", ", received)}], expected [{string.Join(", ", expected)}]");
            }

            await abandon.CancelAsync();
            try
            {
                using var abandoned = await call;
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
            {
            }
        }

        findings.Should().BeEmpty();
    }

    /// <summary>
    /// The child withdraws a request it sent a client (<c>notifications/cancelled</c>) naming its id <c>"q\u0031"</c>,
    /// the request having said <c>"q1"</c>: the same id, so the client's handler is cancelled.
    /// </summary>
    [Fact]
    public async Task A_request_the_child_withdraws_under_another_spelling_of_its_id_is_withdrawn_at_the_client()
    {
        using var directory = new TempDirectory();
        var log = directory.WriteFile("received.jsonl", "");
        await using var gate = await StartGateAsync(log);
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var withdrawn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = await TestMcpClient.ConnectAsync(gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + ReaderToken },
            ProtocolVersion = TestMcpClient.LegacyProtocolVersion,
            ConfigureHandlers = handlers => handlers.ElicitationHandler = async (_, cancellationToken) =>
            {
                asked.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    withdrawn.TrySetResult();
                    throw;
                }

                return new ElicitResult { Action = "decline" };
            },
        });

        // The child's request reaches a session on its GET stream: wait until the client has opened it.
        var session = gate.Services.GetStdio().Peek("files")!.FindSession(gate.UpstreamSessionId(client.SessionId!))!;
        (await StdioPeers.UntilAsync(() => session.IsListening)).Should().BeTrue("the client opens its GET stream");
        var ask = client.CallToolAsync("ask");
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        (await client.CallToolAsync("withdraw")).Content.OfType<TextContentBlock>().Single().Text.Should().Be("withdrawn");

        var cancelled = async () => await withdrawn.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancelled.Should().NotThrowAsync("the child withdrew the request the client is handling");
        (await ask).Content.OfType<TextContentBlock>().Single().Text.Should().Be("asked");
    }

    /// <summary>A gate in front of echo-server.mjs, which logs what it receives to <paramref name="log"/>; its tools known.</summary>
    private static async Task<RunningGate> StartGateAsync(string log)
    {
        var gate = await RunningGate.StartAsync(Policy(log));
        try
        {
            await gate.CatalogReadyAsync("files");
            return gate;
        }
        catch
        {
            await gate.DisposeAsync();
            throw;
        }
    }

    /// <summary>The child's id for the <c>wait</c> call of case <paramref name="n"/>, once the child has received it.</summary>
    private static long? ReceivedCall(string log, int n) => Received(log)
        .Select(r => JsonDocument.Parse(r.Raw).RootElement)
        .Where(m => Text(m, "method") == "tools/call" && m.GetProperty("params").TryGetProperty("arguments", out var a) && a.TryGetProperty("case", out var c) && c.GetInt32() == n)
        .Select(m => (long?)m.GetProperty("id").GetInt64())
        .FirstOrDefault();

    private static async Task<HttpResponseMessage> PostOnSessionAsync(HttpClient http, RunningGate gate, string sessionId, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, gate.McpUrl("files")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReaderToken);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.TryAddWithoutValidation("Mcp-Session-Id", sessionId);
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", TestMcpClient.LegacyProtocolVersion);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>
    /// The received line is the element as sent, line breaks as spaces, with only the id and the progress token swapped
    /// for the child's (each at one place the sent value stood).
    /// </summary>
    private static bool IsInspectedBytes(string element, (byte[] Raw, JsonElement Read) message)
    {
        var expected = element.Replace('\r', ' ').Replace('\n', ' ');
        var swaps = new List<(string From, string To)>();
        if (JsonRpcIdText(element) is { } sentId && message.Read.TryGetProperty("id", out var childId) && childId.ValueKind != JsonValueKind.Null)
        {
            swaps.Add((sentId, childId.GetRawText()));
        }

        if (message.Read.TryGetProperty("progressToken", out var token) && token.ValueKind != JsonValueKind.Null)
        {
            swaps.Add(("\"p-1\"", token.GetRawText()));
        }

        return Matches(expected, Encoding.UTF8.GetString(message.Raw), swaps);
    }

    private static bool Matches(string expected, string actual, List<(string From, string To)> swaps)
    {
        if (swaps.Count == 0)
        {
            return expected == actual;
        }

        var (from, to) = swaps[0];
        for (var at = expected.IndexOf(from, StringComparison.Ordinal); at >= 0; at = expected.IndexOf(from, at + 1, StringComparison.Ordinal))
        {
            if (Matches(expected[..at] + to + expected[(at + from.Length)..], actual, swaps[1..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The id's text as the variant wrote it: what follows its <c>"id":</c> (or <c>"\u0069d":</c>).</summary>
    private static string? JsonRpcIdText(string element)
    {
        foreach (var key in new[] { "\"id\":", "\"\\u0069d\":" })
        {
            var at = element.IndexOf(key, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = element[(at + key.Length)..];
                var end = rest[0] == '"' ? rest.IndexOf('"', 1) + 1 : rest.IndexOfAny([',', '}']);
                return rest[..end];
            }
        }

        return null;
    }

    private static async Task<IReadOnlyList<JsonElement>> WaitOrNowAsync(RunningGate gate, Func<IReadOnlyList<JsonElement>, bool> condition)
    {
        try
        {
            return await gate.WaitForAuditLinesAsync(condition);
        }
        catch (TimeoutException)
        {
            return gate.AuditLines();
        }
    }

    private static IEnumerable<Row> AllowedRows(IEnumerable<JsonElement> lines) => lines
        .Where(l => OneReadingTests.Text(l, "decision") == "allow" && OneReadingTests.Text(l, "result") is "ok" or "tool_error")
        .Select(l => new Row(
            OneReadingTests.Text(l, "method"),
            OneReadingTests.Text(l, "tool") ?? OneReadingTests.Text(l, "resource"),
            l.TryGetProperty("arg_keys", out var keys) && keys.ValueKind == JsonValueKind.Array ? keys.EnumerateArray().Select(k => k.GetString()!).Order(StringComparer.Ordinal).ToList() : []));

    private static List<(byte[] Raw, JsonElement Read)> Received(string log)
    {
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var received = new List<(byte[], JsonElement)>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                var entry = JsonDocument.Parse(line).RootElement.Clone();
                received.Add((Convert.FromBase64String(entry.GetProperty("raw").GetString()!), entry.GetProperty("read")));
            }
        }

        return received;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<Variant> Variants()
    {
        static string Call(string id, string name, string args = Args, string method = "\"tools/call\"", string extra = "") =>
            "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + method + ",\"params\":{\"name\":" + name + "," + args + extra + "}}";

        // Reach the child as inspected.
        yield return new("plain", Expect.Runs, [Call("1", "\"read_file\"")], AnswerIds: ["1"]);
        yield return new("escaped method, tool name and member names", Expect.Runs,
            ["{\"jsonrpc\":\"2.0\",\"\\u0069d\":2,\"method\":\"tools\\u002fcall\",\"p\\u0061rams\":{\"n\\u0061me\":\"read\\u005ffile\",\"\\u0061rguments\":{\"p\\u0061th\":\"x\"}}}"], AnswerIds: ["2"]);
        yield return new("string id \"1\"", Expect.Runs, [Call("\"1\"", "\"read_file\"")], AnswerIds: ["\"1\""]);
        yield return new("escaped string id", Expect.Runs, [Call("\"\\u0031x\"", "\"read_file\"")], AnswerIds: ["\"\\u0031x\""]);
        yield return new("lone surrogate in an argument value", Expect.Runs, [Call("3", "\"read_file\"", "\"arguments\":{\"path\":\"\\ud800\"}")]);
        yield return new("NUL in an argument key and value", Expect.Runs, [Call("4", "\"read_file\"", "\"arguments\":{\"pa\\u0000th\":\"x\\u0000\"}")]);
        yield return new("__proto__ keys", Expect.Runs,
            [Call("5", "\"read_file\"", "\"arguments\":{\"__proto__\":{\"path\":\"/secret\"},\"constructor\":{},\"path\":\"/public/a\"}", extra: ",\"__proto__\":{\"name\":\"delete_file\"}")]);
        yield return new("huge numbers in arguments", Expect.Runs, [Call("6", "\"read_file\"", "\"arguments\":{\"n\":1e400,\"m\":123456789012345678901234567890,\"z\":-0.0}")]);
        yield return new("deep nesting inside arguments", Expect.Runs, [Call("7", "\"read_file\"", "\"arguments\":{\"deep\":" + new string('[', 58) + new string(']', 58) + "}")]);
        yield return new("a repeated member deep inside an argument value", Expect.Runs, [Call("8", "\"read_file\"", "\"arguments\":{\"path\":{\"a\":\"x\",\"a\":\"y\"}}")]);
        yield return new("pretty-printed", Expect.Runs, ["{\r\n  \"jsonrpc\": \"2.0\",\n  \"id\":9,\n  \"method\": \"tools/call\",\n  \"params\": {\"name\": \"read_file\",\n \"arguments\": {}}\n}"]);
        yield return new("a batch", Expect.Runs, [Call("10", "\"read_file\""), Call("\"11\"", "\"read_file\"", "\"arguments\":{\"other\":1}")], Batch: true, AnswerIds: ["10", "\"11\""]);
        yield return new("escaped resource URI", Expect.Runs, ["{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"resources/read\",\"params\":{\"uri\":\"file:\\/\\/\\/public\\/readme.txt\"}}"]);
        yield return new("progress token", Expect.Runs, [Call("13", "\"read_file\"", extra: ",\"_meta\":{\"progressToken\":\"p-1\"}")]);
        yield return new("NUL in the tool name", Expect.Either, [Call("14", "\"read_file\\u0000\"")]);

        // Refused by the gate.
        yield return new("name twice", Expect.Refused, [Call("20", "\"read_file\"", extra: ",\"name\":\"delete_file\"")]);
        yield return new("name twice, one escaped", Expect.Refused, [Call("21", "\"read_file\"", extra: ",\"n\\u0061me\":\"delete_file\"")]);
        yield return new("argument twice", Expect.Refused, [Call("22", "\"read_file\"", "\"arguments\":{\"path\":\"/public/a\",\"path\":\"/secret\"}")]);
        yield return new("method twice", Expect.Refused, [Call("23", "\"read_file\"").Replace("\"method\":\"tools/call\"", "\"method\":\"tools/call\",\"method\":\"tools/call\"", StringComparison.Ordinal)]);
        yield return new("arguments twice", Expect.Refused, [Call("24", "\"read_file\"", extra: ",\"arguments\":{\"other\":1}")]);
        yield return new("lone surrogate in the tool name", Expect.Refused, [Call("25", "\"read_file\\ud800\"")]);
        yield return new("id 1.0", Expect.Refused, [Call("1.0", "\"read_file\"")]);
        yield return new("id 2^53+1", Expect.Refused, [Call("9007199254740993", "\"read_file\"")]);
        yield return new("id 1e400", Expect.Refused, [Call("1e400", "\"read_file\"")]);
        yield return new("nested too deep", Expect.Refused, [Call("26", "\"read_file\"", "\"arguments\":{\"deep\":" + new string('[', 70) + new string(']', 70) + "}")]);
        yield return new("progress token twice", Expect.Refused, [Call("27", "\"read_file\"", extra: ",\"_meta\":{\"progressToken\":\"p-1\",\"progressToken\":\"p-2\"}")]);
        yield return new("batch sharing an id", Expect.Refused, [Call("28", "\"read_file\""), Call("28", "\"read_file\"")], Batch: true);
        yield return new("byte-order mark", Expect.Refused, [], Raw: [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Call("29", "\"read_file\""))]);
        yield return new("invalid UTF-8 in the tool name", Expect.Refused, [], Raw: [.. "{\"jsonrpc\":\"2.0\",\"id\":30,\"method\":\"tools/call\",\"params\":{\"name\":\"read_file"u8.ToArray(), 0xC0, 0xAF, .. "\",\"arguments\":{}}}"u8.ToArray()]);

        // Decided and denied: nothing runs.
        yield return new("delete_file", Expect.NothingRuns, [Call("40", "\"delete_file\"")]);
        yield return new("escaped delete_file", Expect.NothingRuns, [Call("41", "\"delete\\u005ffile\"")]);
        yield return new("a secret resource", Expect.NothingRuns, ["{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"resources/read\",\"params\":{\"uri\":\"file:///secret/keys.txt\"}}"]);
        yield return new("a batch with a denied call", Expect.NothingRuns, [Call("43", "\"read_file\""), Call("44", "\"delete_file\"")], Batch: true);
    }

    private static string Policy(string log) => $$"""
    {
      "mcpServers": {
        "files": { "command": "node", "args": [{{JsonSerializer.Serialize(Path.Combine(NodePeers.StdioPeersDirectory, "echo-server.mjs"))}}, {{JsonSerializer.Serialize(log)}}] }
      },
      "serverAuth": {
        "providers": ["bearer"],
        "bearer": { "tokens": { "{{ReaderToken}}": { "subject": "reader", "roles": ["reader"] } } },
        "acl": {
          "default": "deny",
          "roles": {
            "reader": [
              { "server": "files", "access": "read", "tools": ["*"] },
              { "server": "files", "access": "read", "resources": ["file:///public/*"] }
            ]
          }
        }
      }
    }
    """;

    private enum Expect
    {
        /// <summary>The child receives every element, as inspected.</summary>
        Runs,

        /// <summary>The gate answers 400; the child receives nothing.</summary>
        Refused,

        /// <summary>The gate decides and denies; the child receives nothing.</summary>
        NothingRuns,

        /// <summary>Refused, denied, or run as audited: the general rule only.</summary>
        Either,
    }

    private sealed record Row(string? Method, string? Target, List<string> ArgKeys)
    {
        public override string ToString() => $"{Method} {Target} [{string.Join(",", ArgKeys)}]";
    }

    private sealed record Variant(string Name, Expect Expect, string[] Elements, bool Batch = false, byte[]? Raw = null, string[]? AnswerIds = null)
    {
        public byte[] Body => Raw ?? Encoding.UTF8.GetBytes(Batch ? "[" + string.Join(",", Elements) + "]" : Elements[0]);

        public string[] AnswerIds { get; init; } = AnswerIds ?? [];

        public override string ToString() => Name;
    }
}
