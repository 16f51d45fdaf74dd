using System.Net;
using System.Text;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// Issue 13's differential check: the same request bytes, in many forms (charsets, escapes, duplicate members, URI
/// forms, id forms, framing), go through the gate to two real upstreams at once, the TypeScript SDK's Express app and
/// the C# SDK's ASP.NET Core server. Whatever either upstream ran must be what the gate decided and audited — the same
/// target, the same id — and nothing the reader is denied may run. A variant the gate refuses runs nowhere.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class OneReadingDifferentialTests
{
    private const string ReaderToken = "diff-reader-token";

    [Fact]
    public async Task EveryRequestForm_WhatTheUpstreamsRanIsWhatTheGateDecidedAndAudited()
    {
        await using var ts = await TypeScriptUpstream.StartAsync();
        await using var cs = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        await using var gate = await RunningGate.StartAsync(Policy(ts.McpUrl, cs.McpUrl));
        await gate.CatalogReadyAsync("ts");
        await gate.CatalogReadyAsync("cs");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var disagreements = new List<string>();
        var forwarded = 0;

        foreach (var variant in Variants())
        {
            foreach (var server in new[] { "ts", "cs" })
            {
                var auditBefore = gate.AuditLines().Count;
                cs.Spy.Clear();
                using var response = await OneReadingTests.PostAsync(http, gate.McpUrl(server), variant.Body, variant.ContentType, ReaderToken);
                var status = response.StatusCode;
                var ran = server == "ts"
                    ? (await ts.TakeRanAsync()).Select(r => (r.Target, Id: (string?)(r.Id.ValueKind == JsonValueKind.String ? r.Id.GetString() : r.Id.GetRawText()))).ToList()
                    : RanOnCSharp(cs);
                forwarded += ran.Count;

                // An allowed call's row is written just behind its answer; a call that ran with no row is a finding.
                var lines = gate.AuditLines().Skip(auditBefore).ToList();
                if (ran.Count > 0)
                {
                    try
                    {
                        // Wait for a row naming each run, not just as many rows: a late row of the request before (one
                        // the gate allowed but that upstream did not run, e.g. a URI it has no resource for) would
                        // otherwise stand in for this one's.
                        lines = (await gate.WaitForAuditLinesAsync(ls => ran.All(run => AllowedRows(ls.Skip(auditBefore))
                            .Any(a => a.Target == run.Target && (run.Id is null || a.Id == run.Id))))).Skip(auditBefore).ToList();
                    }
                    catch (TimeoutException)
                    {
                        disagreements.Add($"{server}: ran [{string.Join(", ", ran)}] without as many allowed audit rows for {variant}");
                    }
                }

                var allowed = AllowedRows(lines).ToList();

                foreach (var run in ran)
                {
                    if (IsForbidden(run.Target))
                    {
                        disagreements.Add($"{server}: ran forbidden {run.Target} for {variant}");
                    }
                    else if (!allowed.Any(a => a.Target == run.Target && (run.Id is null || a.Id == run.Id)))
                    {
                        disagreements.Add($"{server}: ran {run.Target} (id {run.Id}) but the gate audited [{string.Join(", ", allowed)}] (HTTP {(int)status}) for {variant}");
                    }
                }

                if ((int)status >= 400 && ran.Count > 0)
                {
                    disagreements.Add($"{server}: refused with {(int)status} yet ran [{string.Join(", ", ran)}] for {variant}");
                }
            }
        }

        disagreements.Should().BeEmpty();
        forwarded.Should().BeGreaterThan(50, "the generated forms must include plenty the gate lets through, or agreement is not tested");
    }

    private static bool IsAllowedRow(JsonElement line) =>
        OneReadingTests.Text(line, "decision") == "allow" && OneReadingTests.Text(line, "result") != "batch_refused";

    private static IEnumerable<(string? Target, string? Id)> AllowedRows(IEnumerable<JsonElement> lines) => lines.Where(IsAllowedRow)
        .Select(l => (Target: OneReadingTests.Text(l, "tool") ?? OneReadingTests.Text(l, "prompt") ?? OneReadingTests.Text(l, "resource"), Id: OneReadingTests.Text(l, "jsonrpc_id")));

    private static List<(string Target, string? Id)> RanOnCSharp(TestUpstream upstream)
    {
        var ran = new List<(string, string?)>();
        foreach (var tool in new[] { "read_file", "list_files", "delete_file", "write_file", "web_search", "get_weather" })
        {
            ran.AddRange(Enumerable.Repeat((tool, (string?)null), upstream.Spy.ExecutedToolCount(tool)));
        }

        foreach (var uri in new[] { TestUpstream.ReadmeUri, TestUpstream.SecretKeysUri })
        {
            ran.AddRange(Enumerable.Repeat((uri, (string?)null), upstream.Spy.ResourceReadCount(uri)));
        }

        foreach (var prompt in new[] { "code_review", "admin_prompt" })
        {
            ran.AddRange(Enumerable.Repeat((prompt, (string?)null), upstream.Spy.PromptGetCount(prompt)));
        }

        return ran;
    }

    private static bool IsForbidden(string target) =>
        target is "delete_file" or "write_file" or "secret_prompt" or "admin_prompt" || target.Contains("secret", StringComparison.Ordinal);

    /// <summary>The forms: every target spelled several ways, in every id form, framing and content type.</summary>
    private static IEnumerable<Variant> Variants()
    {
        string[] methods = ["tools/call", "tools\\/call", "tools\\u002fcall", "Tools/call"];
        string[] toolNames =
        [
            "\"read_file\"", "\"delete_file\"", "\"read\\u005ffile\"", "\"delete\\u005Ffile\"", "\"read_file\\u0000\"", "\"read_file \"",
            "\"ｒead_file\"", "\"read_file\",\"name\":\"delete_file\"", "\"read_file\",\"Name\":\"delete_file\"", "\"read_file\",\"n\\u0061me\":\"delete_file\"",
        ];
        string[] ids = ["1", "\"a\"", "\"\\u0061\"", "0", "-5", "9007199254740991", "9007199254740993", "1.0", "1e0", "-0", "null", "\"\\ud800\"", "true"];
        string[] contentTypes =
        [
            "application/json", "application/json; charset=utf-8", "application/json; charset=\"UTF-8\"", "application/json; charset=utf-7",
            "application/json; charset=utf-16le", "application/json; charset=iso-8859-1", "application/json; charset=utf-8; charset=utf-7",
            "text/plain", "application/json-rpc",
        ];
        string[] resources =
        [
            "file:///public/readme.md", "file:///public/readme.txt", "file:///secret/keys.txt", "FILE:///secret/keys.txt", "file://localhost/secret/keys.txt",
            "file:/secret/keys.txt", "file:///public/%2e%2e/secret/keys.txt", "file:///public/.\\t./secret/keys.txt", " file:///secret/keys.txt",
            "file:///public/..\\\\secret/keys.txt", "file:///PUBLIC/../secret/keys.txt", "file:\\\\\\\\\\\\secret\\\\keys.txt",

            // Allowed, written otherwise: the upstream runs the canonical URI, which must be the one the gate audited.
            "FILE:///public/readme.txt", "file://localhost/public/readme.md", "file:/public/readme.txt", " file:///public/readme.txt",
            "file:///public/x/../readme.md", "file:///public/.\\t/readme.txt",
        ];
        string[] prompts = ["\"greet\"", "\"code_review\"", "\"secret_prompt\"", "\"admin_prompt\"", "\"greet\",\"name\":\"secret_prompt\""];

        foreach (var method in methods)
        {
            foreach (var name in toolNames)
            {
                yield return Json(Message("1", "\"" + method + "\"", "\"name\":" + name + ",\"arguments\":{\"path\":\"/public/notes.txt\"}"));
            }
        }

        foreach (var id in ids)
        {
            yield return Json(Message(id, "\"tools/call\"", "\"name\":\"read_file\",\"arguments\":{\"path\":\"/public/notes.txt\"}"));
            yield return Json(Message(id, "\"tools/call\"", "\"name\":\"delete_file\",\"arguments\":{\"path\":\"/public/notes.txt\"}"));
        }

        foreach (var contentType in contentTypes)
        {
            yield return new Variant(Encoding.ASCII.GetBytes(OneReadingTests.Utf7Smuggle), contentType);
            yield return new Variant(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"é"}}}"""), contentType);
        }

        foreach (var uri in resources)
        {
            yield return Json(Message("2", "\"resources/read\"", "\"uri\":\"" + uri + "\""));
        }

        foreach (var prompt in prompts)
        {
            yield return Json(Message("3", "\"prompts/get\"", "\"name\":" + prompt));
        }

        // Framing: batches, whitespace, a byte-order mark, trailing data, a second message after the first.
        const string read = """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"read_file","arguments":{"path":"/public/notes.txt"}}}""";
        const string delete = """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"delete_file","arguments":{"path":"/public/notes.txt"}}}""";
        yield return Json("[" + read + "]");
        yield return Json("[" + read + "," + delete + "]");
        yield return Json("[" + read + "," + read.Replace("\"id\":4", "\"id\":6", StringComparison.Ordinal) + "]");
        yield return Json("[" + read + "," + read + "]");
        yield return Json(" \r\n\t" + read + " \n");
        yield return new Variant([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(read)], "application/json");
        yield return Json(read + delete);
        yield return Json(read + "\n" + delete);
        yield return Json(read + "x");
        yield return new Variant(Encoding.Unicode.GetBytes(delete), "application/json; charset=utf-16le");
        yield return new Variant(Encoding.Unicode.GetBytes(delete), "application/json");
    }

    private static string Message(string id, string method, string paramsMembers) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + method + ",\"params\":{" + paramsMembers + "}}";

    private static Variant Json(string json) => new(Encoding.UTF8.GetBytes(json), "application/json");

    private static string Policy(Uri ts, Uri cs) => $$"""
    {
      "mcpServers": { "ts": { "url": "{{ts}}" }, "cs": { "url": "{{cs}}" } },
      "serverAuth": {
        "providers": ["bearer"],
        "bearer": { "tokens": { "{{ReaderToken}}": { "subject": "reader", "roles": ["reader"] } } },
        "acl": {
          "default": "deny",
          "roles": {
            "reader": [
              { "server": "*", "access": "read", "tools": ["*"] },
              { "server": "*", "access": "read", "resources": ["file:///public/*"] },
              { "server": "*", "access": "read", "prompts": ["greet", "code_review"] }
            ]
          }
        }
      }
    }
    """;

    private sealed record Variant(byte[] Body, string ContentType)
    {
        public override string ToString() => $"[{ContentType}] {Encoding.UTF8.GetString(Body)}";
    }
}
