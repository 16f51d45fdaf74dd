using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary><c>mcp acl check</c> run as a process against real upstreams, asserting what a user or script sees.</summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class AclCheckTests(UpstreamsFixture upstreams) : IClassFixture<UpstreamsFixture>, IDisposable
{
    private static readonly string[] s_toolFields =
    [
        "subject", "roles", "server", "tool", "tool_known", "decision", "matched_rule", "reason", "access_kind",
        "access_source", "grant_access", "classification_kind", "classification_source", "classification_confidence",
        "classification_reasons", "rate_limits", "token",
    ];

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Check_ReadOnlyAnnotatedToolForReader_AllowsWithExitZero()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--tool", "read_file");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().Be(
            "ALLOW  alice → files/read_file  via reader[0]  access=read  classification=annotation:read (0.95)" + Environment.NewLine);
        run.Error.Should().BeEmpty();
    }

    [Fact]
    public async Task Check_DestructiveToolWithoutWriteGrant_DeniesWithExitOneAndAReason()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--tool", "delete_file");

        run.ExitCode.Should().Be(1, run.ToString());
        var lines = run.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("DENY   alice → files/delete_file  via default  access=write  classification=annotation:write (0.95)");
        lines[1].Should().StartWith("       ").And.Contain("alice").And.Contain("write").And.Contain("files/delete_file");
    }

    [Fact]
    public async Task Check_Json_HasExactlyTheContractFields()
    {
        var run = await CheckAsync("--subject", "bob", "--server", "files", "--tool", "write_file", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(s_toolFields);
    }

    [Fact]
    public async Task Check_ToolCoveredByAToolScopedWriteGrant_ReportsGrantAndClassifierFields()
    {
        var run = await CheckAsync("--subject", "bob", "--server", "files", "--tool", "write_file", "--format", "json");

        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        root.GetProperty("subject").GetString().Should().Be("bob");
        root.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("reader", "writer");
        root.GetProperty("server").GetString().Should().Be("files");
        root.GetProperty("tool").GetString().Should().Be("write_file");
        root.GetProperty("tool_known").GetBoolean().Should().BeTrue();
        root.GetProperty("decision").GetString().Should().Be("allow");
        root.GetProperty("matched_rule").GetString().Should().Be("writer[0]");
        root.GetProperty("access_kind").GetString().Should().Be("write");
        root.GetProperty("access_source").GetString().Should().Be("classification");
        root.GetProperty("grant_access").GetString().Should().Be("write");
        root.GetProperty("classification_kind").GetString().Should().Be("write");
        root.GetProperty("classification_source").GetString().Should().Be("classifier");
        root.GetProperty("classification_confidence").GetDouble().Should().BeInRange(0.5, 1.0);
        root.GetProperty("classification_reasons").EnumerateArray().Should().NotBeEmpty();
        root.GetProperty("reason").GetString().Should().Contain("writer[0]");
    }

    [Fact]
    public async Task Check_StatelessUpstream_DiscoversToolsAndDecides()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files26", "--tool", "read_file", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("tool_known").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("classification_source").GetString().Should().Be("annotation");
    }

    [Fact]
    public async Task Check_ToolOnTheLastPageOfAPagedToolsList_IsFound()
    {
        var lastTool = upstreams.Paged.ToolNames[^1];

        var run = await CheckAsync("--subject", "alice", "--server", "paged", "--tool", lastTool, "--format", "json");

        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("tool_known").GetBoolean().Should().BeTrue(run.ToString());
        json.RootElement.GetProperty("classification_kind").ValueKind.Should().Be(JsonValueKind.String);
    }

    [Fact]
    public async Task Check_ToolTheUpstreamDoesNotList_IsUnknownAndJudgedAsWrite()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--tool", "list_everything", "--format", "json");

        run.ExitCode.Should().Be(1, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        root.GetProperty("tool_known").GetBoolean().Should().BeFalse();
        root.GetProperty("access_kind").GetString().Should().Be("write");
        root.GetProperty("classification_kind").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("classification_source").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("classification_confidence").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("classification_reasons").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Check_Discovery_SendsTheUpstreamsConfiguredHeaders()
    {
        await CheckAsync("--subject", "alice", "--server", "files", "--tool", "read_file");

        upstreams.Stateful.Spy.RequestsFor("tools/list").Should().NotBeEmpty()
            .And.OnlyContain(r => r.Header("Authorization") == UpstreamsFixture.UpstreamAuthorization);
    }

    [Fact]
    public async Task Check_Offline_ClassifiesByNameAndOverridesWithoutContactingTheUpstream()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "offline", "--tool", "read_secrets", "--offline", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        root.GetProperty("tool_known").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("classification_source").GetString().Should().Be("override");
        root.GetProperty("classification_confidence").GetDouble().Should().Be(1.0);
        root.GetProperty("matched_rule").GetString().Should().Be("reader[0]");
    }

    [Fact]
    public async Task Check_OfflineToolMatchingAWriteOverride_Denies()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "offline", "--tool", "web_post", "--offline");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().StartWith("DENY ").And.Contain("classification=override:write (1.00)");
    }

    [Fact]
    public async Task Check_ShowsTheRateLimitRulesThatWouldCountTheCall()
    {
        var config = WithRateLimits("""
            [
              { "name": "reads", "roles": ["reader"], "server": "off*", "access": "read", "limit": 30, "per": "1m" },
              { "name": "writes", "subjects": "*", "access": "write", "limit": 5, "per": "1h" },
              { "name": "bob-only", "subjects": ["bob"], "limit": 1, "per": "1d" }
            ]
            """);

        var text = await CheckWithConfigAsync(config, "--subject", "alice", "--server", "offline", "--tool", "read_secrets", "--offline");
        var json = await CheckWithConfigAsync(config, "--subject", "alice", "--server", "offline", "--tool", "read_secrets", "--offline", "--format", "json");
        var none = await CheckWithConfigAsync(config, "--subject", "alice", "--server", "notes", "--tool", "get_note", "--offline", "--format", "json");

        text.ExitCode.Should().Be(0, text.ToString());
        text.Output.Should().Contain("rate limits: reads (30 per 1m)").And.NotContain("writes").And.NotContain("bob-only");
        using var document = JsonDocument.Parse(json.Output);
        var limits = document.RootElement.GetProperty("rate_limits").EnumerateArray().ToList();
        limits.Select(l => (l.GetProperty("name").GetString(), l.GetProperty("limit").GetInt32(), l.GetProperty("per").GetString()))
            .Should().Equal(("reads", 30, "1m"));
        using var noneDocument = JsonDocument.Parse(none.Output);
        noneDocument.RootElement.GetProperty("rate_limits").ValueKind.Should().Be(JsonValueKind.Null, "no rule covers server notes");
    }

    private string WithRateLimits(string rules)
    {
        var config = upstreams.StandardConfig();
        var end = config.LastIndexOf('}');
        return config[..end] + $$"""  "gateway": { "rateLimits": {{rules}} },{{"\n"}}}""";
    }

    [Fact]
    public async Task Check_UnreachableUpstream_ExitsThreeNamingTheServer()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "offline", "--tool", "read_secrets");

        run.ExitCode.Should().Be(3, run.ToString());
        run.Output.Should().BeEmpty();
        run.Error.Should().Contain("'offline'").And.Contain("refused");
    }

    [Fact]
    public async Task Check_UpstreamThatNeverAnswers_ExitsThreeWithinTheTimeout()
    {
        await using var silent = SilentUpstream.Start();

        var run = await CheckWithConfigAsync(upstreams.StandardConfig(silent.McpUrl), "--subject", "alice", "--server", "offline", "--tool", "read_file", "--timeout", "1");

        run.ExitCode.Should().Be(3, run.ToString());
        run.Error.Should().Contain("'offline'");
    }

    [Fact]
    public async Task Check_StdioUpstreamThatCannotStart_ExitsThreeNamingTheServerAndCommand()
    {
        // notes' command does not exist: live discovery tries to start it, and says what it tried.
        var run = await CheckAsync("--subject", "alice", "--server", "notes", "--tool", "get_note");

        run.ExitCode.Should().Be(3, run.ToString());
        run.Error.Should().Contain("'notes'").And.Contain("notes-server");
    }

    [Fact]
    public async Task Check_StdioUpstream_IsStartedAndItsToolsAnnotationsDecide()
    {
        var config = StdioConfig.Scripted();

        var run = await CheckWithConfigAsync(config, "--subject", "alice", "--server", "scripted", "--tool", "echo");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().StartWith("ALLOW  alice → scripted/echo  via reader[0]  access=read  classification=annotation:read");
    }

    [Fact]
    public async Task Check_StdioUpstreamOffline_Decides()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "notes", "--tool", "get_note", "--offline");

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Should().StartWith("ALLOW  alice → notes/get_note  via reader[0]");
    }

    [Fact]
    public async Task Check_UnknownServer_ExitsTwoNamingItAndTheConfiguredAliases()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "github", "--tool", "read_file");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("'github'").And.Contain("files, files26, paged");
    }

    [Fact]
    public async Task Check_BadConfig_ExitsTwoWithTheLoadersMessageNamingTheFile()
    {
        var path = _directory.WriteFile("broken.json", """
            { "mcpServers": { "files": { "url": "http://127.0.0.1:1/mcp", "tool": { "read": ["*"] } } } }
            """);

        var run = await McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", path, "--subject", "alice", "--server", "files", "--tool", "x", "--offline"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Output.Should().BeEmpty();
        run.Error.Should().Contain("broken.json").And.Contain("tool");
    }

    [Fact]
    public async Task Check_MissingExplicitConfig_ExitsTwo()
    {
        var run = await McpProcess.RunAsync(
            _directory.Path, ["acl", "check", "--config", Path.Combine(_directory.Path, "nope.json"), "--subject", "a", "--server", "s", "--tool", "t"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("nope.json");
    }

    [Fact]
    public async Task Check_BadFlag_ExitsTwoWithUsageHint()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--tool", "read_file", "--acess", "read");

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("--acess").And.Contain("mcp acl check --help");
    }

    [Fact]
    public async Task Check_ConfigFromEnvironmentVariable_IsUsedWhenNoConfigFlag()
    {
        var path = _directory.WriteFile("from-env.json", upstreams.StandardConfig());

        var run = await McpProcess.RunAsync(
            _directory.Path,
            ["acl", "check", "--subject", "alice", "--server", "notes", "--tool", "get_note", "--offline"],
            new Dictionary<string, string> { ["MCP_CONFIG_PATH"] = path });

        run.ExitCode.Should().Be(0, run.ToString());
    }

    [Fact]
    public async Task Check_PublicResource_AllowedAsRead()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--resource", TestUpstream.ReadmeUri, "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal(s_toolFields.Select(f => f == "tool" ? "resource" : f));
        root.GetProperty("resource").GetString().Should().Be(TestUpstream.ReadmeUri);
        root.GetProperty("access_kind").GetString().Should().Be("read");
        root.GetProperty("tool_known").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task Check_SecretResource_DeniedByTheDenyGrant()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--resource", TestUpstream.SecretKeysUri);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().StartWith($"DENY   alice → resource files/{TestUpstream.SecretKeysUri}  via nosecret[0]  access=read");
    }

    [Theory]
    [InlineData("file:///public/.\t./secret/keys.txt")]
    [InlineData("FILE:///secret/keys.txt")]
    [InlineData("file://localhost/secret/keys.txt")]
    [InlineData("file:/secret/keys.txt")]
    [InlineData(" file:///secret/keys.txt")]
    public async Task Check_SecretResourceWrittenAsAnUpstreamReadsIt_DeniedLikeTheGate(string uri)
    {
        // alice may read every resource but file:///secret/*: each of these is that file to a WHATWG-URL upstream.
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--resource", uri);

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().StartWith($"DENY   alice → resource files/{TestUpstream.SecretKeysUri}  via nosecret[0]  access=read");
    }

    [Fact]
    public async Task Check_ResourceThatIsNotAUrl_DeniedAsInvalidUri()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--resource", "http://[::1/secret", "--format", "json");

        run.ExitCode.Should().Be(1, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("decision").GetString().Should().Be("deny");
        json.RootElement.GetProperty("matched_rule").GetString().Should().Be("invalid-uri");
        json.RootElement.GetProperty("reason").GetString().Should().Contain("is not a URL an upstream can read");
    }

    [Fact]
    public async Task Check_PromptForRoleWithoutSubject_AllowsAHypotheticalIdentity()
    {
        var run = await CheckAsync("--role", "reader", "--server", "files", "--prompt", "code_review", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        root.GetProperty("subject").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("reader");
        root.GetProperty("prompt").GetString().Should().Be("code_review");
        root.GetProperty("matched_rule").GetString().Should().Be("reader[0]");
    }

    [Fact]
    public async Task Check_PromptForSubjectWithNoRoles_DeniedByDefault()
    {
        var run = await CheckAsync("--subject", "mallory", "--server", "files", "--prompt", "admin_prompt");

        run.ExitCode.Should().Be(1, run.ToString());
        run.Output.Should().StartWith("DENY   mallory → prompt files/admin_prompt  via default  access=read");
    }

    [Fact]
    public async Task Check_RoleAddedToSubject_ComesFirstInEffectiveRoles()
    {
        var run = await CheckAsync("--subject", "alice", "--role", "writer", "--server", "files", "--tool", "write_file", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("writer", "reader", "nosecret");
        json.RootElement.GetProperty("matched_rule").GetString().Should().Be("writer[0]");
    }

    [Fact]
    public async Task Check_ExplicitAccess_OverridesTheClassification()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--tool", "read_file", "--access", "write", "--format", "json");

        run.ExitCode.Should().Be(1, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetProperty("access_kind").GetString().Should().Be("write");
        json.RootElement.GetProperty("access_source").GetString().Should().Be("explicit");
        json.RootElement.GetProperty("classification_kind").GetString().Should().Be("read");
    }

    [Fact]
    public async Task Check_AllToolsJson_ListsEveryToolSortedByName()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--all-tools", "--format", "json");

        run.ExitCode.Should().Be(0, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var tools = json.RootElement.EnumerateArray().Select(e => e.GetProperty("tool").GetString()).ToList();
        tools.Should().BeEquivalentTo(TestUpstream.DefaultToolNames).And.BeInAscendingOrder(StringComparer.Ordinal);
        json.RootElement.EnumerateArray().Should().OnlyContain(e => e.EnumerateObject().Select(p => p.Name).SequenceEqual(s_toolFields));
        json.RootElement.EnumerateArray().Select(e => e.GetProperty("decision").GetString()).Should().Contain("allow").And.Contain("deny");
    }

    [Fact]
    public async Task Check_AllToolsOnPagedUpstream_CoversEveryPage()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "paged", "--all-tools", "--format", "json");

        using var json = JsonDocument.Parse(run.Output);
        json.RootElement.GetArrayLength().Should().Be(upstreams.Paged.ToolNames.Count, run.ToString());
    }

    [Fact]
    public async Task Check_AllToolsText_PrintsAnAlignedTableAndExitsZeroDespiteDenials()
    {
        var run = await CheckAsync("--subject", "alice", "--server", "files", "--all-tools");

        run.ExitCode.Should().Be(0, run.ToString());
        var lines = run.Output.Split(Environment.NewLine);
        lines[0].Should().MatchRegex("^TOOL +DECISION +RULE +ACCESS +CLASSIFICATION +CONFIDENCE$");
        var decisionColumn = lines[0].IndexOf("DECISION", StringComparison.Ordinal);
        var rows = lines.Skip(1).TakeWhile(l => l.Length > 0).ToList();
        rows.Should().HaveCount(TestUpstream.DefaultToolNames.Count);
        rows.Should().OnlyContain(row => row.Substring(decisionColumn).StartsWith("ALLOW") || row.Substring(decisionColumn).StartsWith("DENY"));
        rows.Single(r => r.StartsWith("delete_file ")).Should().Contain("DENY");
        rows.Single(r => r.StartsWith("read_file ")).Should().Contain("ALLOW");
        run.Output.Should().NotContain("\u001b[");
    }

    private Task<McpRun> CheckAsync(params string[] args) => CheckWithConfigAsync(upstreams.StandardConfig(), args);

    private Task<McpRun> CheckWithConfigAsync(string configJson, params string[] args)
    {
        var path = _directory.WriteFile("servers.json", configJson);
        return McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", path, .. args]);
    }
}
