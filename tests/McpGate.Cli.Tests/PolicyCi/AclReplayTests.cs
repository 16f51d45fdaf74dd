using System.Text.Json;
using McpGate.Cli.Tests.Support;
using McpGate.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace McpGate.Cli.Tests.PolicyCi;

/// <summary>
/// <c>mcp acl replay</c> over an audit log written by real traffic: SDK clients call a real SDK upstream through
/// <c>mcp serve</c>, the gate is stopped (flushing the log), and candidate configs are replayed against what it wrote.
/// </summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class AclReplayTests : IClassFixture<AclReplayTests.RecordedTraffic>
{
    private readonly RecordedTraffic _traffic;

    public AclReplayTests(RecordedTraffic traffic)
    {
        _traffic = traffic;
    }

    [Fact]
    public async Task Replay_SameConfig_ChangesNothing_ExitsZero()
    {
        var run = await ReplayAsync(RecordedTraffic.Current, "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var totals = json.RootElement.GetProperty("totals");
        totals.GetProperty("decisions").GetInt64().Should().Be(RecordedTraffic.Decisions);
        totals.GetProperty("unchanged").GetInt64().Should().Be(RecordedTraffic.Decisions);
        totals.GetProperty("without_credential_roles").GetInt64().Should().Be(0);
        json.RootElement.GetProperty("changes").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Replay_CandidateRemovingCarolsWriterRole_TightensExactlyHerTwoWrites_NotBobsFromHisToken()
    {
        var candidate = RecordedTraffic.Current.Replace("\"carol\": { \"roles\": [\"reader\", \"writer\"] }", "\"carol\": { \"roles\": [\"reader\"] }", StringComparison.Ordinal);

        var run = await ReplayAsync(candidate, "--format", "json");

        run.ExitCode.Should().Be(1, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var totals = json.RootElement.GetProperty("totals");
        (totals.GetProperty("tightened").GetInt64(), totals.GetProperty("loosened").GetInt64(), totals.GetProperty("unchanged").GetInt64())
            .Should().Be((2, 0, RecordedTraffic.Decisions - 2));
        var change = json.RootElement.GetProperty("changes").EnumerateArray().Should().ContainSingle().Subject;
        (change.GetProperty("change").GetString(), change.GetProperty("subject").GetString(), change.GetProperty("server").GetString(),
                change.GetProperty("target").GetString(), change.GetProperty("count").GetInt64())
            .Should().Be(("tightened", "carol", "files", "write_file", 2));
        (change.GetProperty("rule_before").GetString(), change.GetProperty("rule_after").GetString()).Should().Be(("writer[0]", "default"));
        _traffic.DecisionIds.Should().Contain(change.GetProperty("sample_decision_id").GetString());
        change.GetProperty("first_seen").GetString().Should().NotBeNull();
    }

    [Fact]
    public async Task Replay_CandidateAddingADeny_TightensEveryReadFile_GroupedBySubject()
    {
        var candidate = RecordedTraffic.Current.Replace(
            "\"reader\": [ { \"server\": \"*\", \"access\": \"read\" } ]",
            "\"reader\": [ { \"server\": \"*\", \"access\": \"read\" }, { \"server\": \"files\", \"access\": \"read\", \"deny\": true, \"tools\": [\"read_file\"] } ]",
            StringComparison.Ordinal);

        var run = await ReplayAsync(candidate);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().Contain($"0 loosened (deny -> allow), 4 tightened (allow -> deny), {RecordedTraffic.Decisions - 4} unchanged");
        var rows = run.Output.Split(Environment.NewLine).Where(l => l.StartsWith("tightened", StringComparison.Ordinal)).ToList();
        rows.Should().HaveCount(2);
        rows[0].Should().MatchRegex(@"^tightened\s+alice\s+files\s+tool read_file\s+3\s+.*reader\[0\] -> reader\[1\]");
        rows[1].Should().MatchRegex(@"^tightened\s+bob\s+files\s+tool read_file\s+1\s+.*reader\[0\] -> reader\[1\]");
    }

    [Fact]
    public async Task Replay_DefaultAllowCandidate_LoosensTheThreeDenials_FailOnDecidesTheExitCode()
    {
        var candidate = RecordedTraffic.Current.Replace("\"default\": \"deny\"", "\"default\": \"allow\"", StringComparison.Ordinal);

        var any = await ReplayAsync(candidate, "--format", "markdown");
        var tightenOnly = await ReplayAsync(candidate, "--fail-on", "tighten");

        any.ExitCode.Should().Be(1, any.ToString());
        any.Output.Should().StartWith("### Policy replay: `candidate.json`")
            .And.Contain("| **loosened** (deny → allow) | 3 |")
            .And.Contain("| **tightened** (allow → deny) | 0 |")
            .And.MatchRegex(@"\| loosened \| `alice` \| `files` \| tool `write_file` \| 2 \| [^|]+\| [^|]+\| `default` → `default` \| `[0-9a-f]{32}` \|")
            .And.MatchRegex(@"\| loosened \| `carol` \| `files` \| tool `delete_file` \| 1 \|");
        tightenOnly.ExitCode.Should().Be(0, tightenOnly.ToString());
    }

    [Fact]
    public async Task Replay_WithBaseline_ComparesBothReDecisions_AndSinceLeavesOldDecisionsOut()
    {
        var baseline = _traffic.Directory.WriteFile("baseline.json", RecordedTraffic.Current);
        var candidate = RecordedTraffic.Current.Replace("\"default\": \"deny\"", "\"default\": \"allow\"", StringComparison.Ordinal);

        var withBaseline = await ReplayAsync(candidate, "--baseline", baseline, "--format", "json");

        using (var json = JsonDocument.Parse(withBaseline.Output))
        {
            json.RootElement.GetProperty("baseline").GetString().Should().Be(baseline);
            json.RootElement.GetProperty("totals").GetProperty("loosened").GetInt64().Should().Be(3);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var none = await ReplayAsync(candidate, "--since", "1s", "--format", "json");
        using (var json = JsonDocument.Parse(none.Output))
        {
            json.RootElement.GetProperty("totals").GetProperty("decisions").GetInt64().Should().Be(0);
            json.RootElement.GetProperty("totals").GetProperty("before_since").GetInt64().Should().Be(RecordedTraffic.Decisions);
        }

        none.ExitCode.Should().Be(0, none.ToString());
    }

    [Fact]
    public async Task Replay_FromStdin_ReadsTheSameLog()
    {
        var file = Directory.GetFiles(_traffic.LogDirectory, "mcpgate-*.jsonl").Should().ContainSingle().Subject;
        var config = _traffic.Directory.WriteFile("candidate-stdin.json", RecordedTraffic.Current);

        var run = await McpProcess.RunAsync(_traffic.Directory.Path, ["acl", "replay", "--log", "-", "--config", config, "--format", "json"], stdinFile: file);

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("totals").GetProperty("decisions").GetInt64().Should().Be(RecordedTraffic.Decisions);
    }

    [Fact]
    public async Task Replay_TornAndForeignLines_AreCountedAndSkipped_AnOldLineWithoutCredentialRolesIsNoted()
    {
        // A line in the format written before credential_roles existed (docs/audit.md's example), a torn line, junk.
        var log = _traffic.Directory.WriteFile("old.jsonl", string.Join('\n',
            """{"ts":"2025-03-04T12:00:00.123Z","event":"mcp.tool_called","decision_id":"0f8e5c2a9b7d4e1f8a6b3c2d1e0f9a8b","subject":"alice","roles":["reader"],"auth":"bearer","server":"files","tool":"write_file","resource":null,"prompt":null,"decision":"deny","result":"capability_denied","matched_rule":"default","classification_kind":"write","classification_source":"classifier","classification_confidence":0.6}""",
            """{"ts":"2025-03-04T12:00:01.000Z","event":"mcp.tool_called","subj""",
            "not json at all",
            ""));
        var config = _traffic.Directory.WriteFile("candidate-old.json", RecordedTraffic.Current);

        var run = await McpProcess.RunAsync(_traffic.Directory.Path, ["acl", "replay", "--log", log, "--config", config]);

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Contain("Replayed 1 decisions").And.Contain("0 loosened (deny -> allow), 0 tightened (allow -> deny), 1 unchanged")
            .And.Contain("Note: 2 lines were not audit records").And.Contain("Note: 1 decisions were written before the audit log recorded credential_roles");
    }

    [Fact]
    public async Task Replay_NoLogThere_ExitsTwo()
    {
        var config = _traffic.Directory.WriteFile("candidate-nolog.json", RecordedTraffic.Current);

        var run = await McpProcess.RunAsync(_traffic.Directory.Path, ["acl", "replay", "--log", Path.Combine(_traffic.Directory.Path, "missing", "x.jsonl"), "--config", config]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("no audit log at");
    }

    [Fact]
    public async Task Replay_DirectoryWithoutAuditFiles_ExitsTwo_NeverPassesAsNoChange()
    {
        var empty = Path.Combine(_traffic.Directory.Path, "empty-audit");
        Directory.CreateDirectory(empty);
        var config = _traffic.Directory.WriteFile("candidate-empty.json", RecordedTraffic.Current);

        var run = await McpProcess.RunAsync(_traffic.Directory.Path, ["acl", "replay", "--log", empty, "--config", config]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("no audit log files match").And.Contain("mcpgate-*.jsonl");
    }

    private Task<McpRun> ReplayAsync(string candidate, params string[] extra)
    {
        var config = _traffic.Directory.WriteFile("candidate.json", candidate);
        return McpProcess.RunAsync(_traffic.Directory.Path, ["acl", "replay", "--log", _traffic.LogDirectory, "--config", config, .. extra]);
    }

    /// <summary>The recorded traffic, once per class: 14 decisions by three callers through a real gate.</summary>
    public sealed class RecordedTraffic : IAsyncLifetime
    {
        public const int Decisions = 14;

        public const string Current = """
            {
              "mcpServers": { "files": { "url": "http://127.0.0.1:9/mcp" } },
              "serverAuth": {
                "providers": ["bearer"],
                "bearer": { "tokens": {
                  "alice-token": "alice",
                  "bob-token": { "subject": "bob", "roles": ["writer"] },
                  "carol-token": "carol"
                } },
                "acl": {
                  "default": "deny",
                  "roles": {
                    "reader": [ { "server": "*", "access": "read" } ],
                    "writer": [ { "server": "files", "access": "write", "tools": ["write_file"] } ]
                  },
                  "subjects": {
                    "alice": { "roles": ["reader"] },
                    "bob": { "roles": ["reader"] },
                    "carol": { "roles": ["reader", "writer"] }
                  }
                }
              }
            }
            """;

        internal TempDirectory Directory { get; } = new();

        public string LogDirectory => Path.Combine(Directory.Path, "audit");

        public List<string> DecisionIds { get; } = [];

        /// <summary>The config the gate ran: <see cref="Current"/> pointing at the live upstream (replay never contacts it).</summary>
        public static string CurrentFor(Uri upstream) => Current.Replace("http://127.0.0.1:9/mcp", upstream.ToString(), StringComparison.Ordinal);

        public async Task InitializeAsync()
        {
            await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions());
            var config = Directory.WriteFile("servers.json", CurrentFor(upstream.McpUrl));
            var port = UnusedLoopback.Port();
            await using (var serve = McpProcess.Start(Directory.Path, ["serve", "--config", config, "--listen", $"127.0.0.1:{port}", "--audit-log", LogDirectory + "/"]))
            {
                await serve.WaitForOutputLineAsync(line => line.StartsWith("McpGate listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
                var gate = new Uri($"http://127.0.0.1:{port}/mcp/files");
                await CallAsync(gate, "alice-token", ("read_file", 3), ("write_file", 2));
                await CallAsync(gate, "bob-token", ("read_file", 1), ("write_file", 4));
                await CallAsync(gate, "carol-token", ("write_file", 2), ("delete_file", 1));
                await using (var alice = await ConnectAsync(gate, "alice-token"))
                {
                    await alice.ReadResourceAsync("file:///public/readme.md");
                }

                await serve.TerminateAsync();
                var stopped = await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));
                stopped.ExitCode.Should().Be(0, stopped.ToString());
            }

            foreach (var line in File.ReadLines(System.IO.Directory.GetFiles(LogDirectory, "mcpgate-*.jsonl").Single()))
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.GetProperty("decision").ValueKind != JsonValueKind.Null)
                {
                    DecisionIds.Add(json.RootElement.GetProperty("decision_id").GetString()!);
                }
            }

            DecisionIds.Should().HaveCount(Decisions, "the traffic above makes exactly this many decisions");
        }

        public Task DisposeAsync()
        {
            Directory.Dispose();
            return Task.CompletedTask;
        }

        private static async Task CallAsync(Uri gate, string token, params (string Tool, int Times)[] calls)
        {
            await using var client = await ConnectAsync(gate, token);
            foreach (var (tool, times) in calls)
            {
                for (var i = 0; i < times; i++)
                {
                    try
                    {
                        await client.CallToolAsync(tool, new Dictionary<string, object?> { ["path"] = "/public/notes.txt", ["content"] = "x" });
                    }
                    catch (McpException)
                    {
                        // A denial: the gate answered with its deny envelope and wrote the line first.
                    }
                }
            }
        }

        private static Task<McpClient> ConnectAsync(Uri gate, string token) =>
            TestMcpClient.ConnectAsync(gate, new TestClientOptions { Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token } });
    }
}
