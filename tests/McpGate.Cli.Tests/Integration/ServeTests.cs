using System.Net;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary><c>mcp serve</c> as a process: the command line's part is flags in, signals handled, exit code out.</summary>
[Trait("Category", "Process")]
[Trait("Category", "Network")]
public sealed class ServeTests : IDisposable
{
    private static readonly TimeSpan s_startup = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Serve_Sigterm_DrainsAndExitsZero()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions());
        var config = WriteConfig(upstream.McpUrl);
        var port = UnusedLoopback.Port();
        await using var serve = McpProcess.Start(
            _directory.Path,
            ["serve", "--config", config, "--listen", $"127.0.0.1:{port}", "--audit-log", Path.Combine(_directory.Path, "audit-.jsonl")]);
        await serve.WaitForOutputLineAsync(line => line.StartsWith("McpGate listening on", StringComparison.Ordinal), s_startup);
        using (var client = new HttpClient())
        {
            (await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        await serve.TerminateAsync();
        var run = await serve.WaitForExitAsync(TimeSpan.FromSeconds(90));

        run.ExitCode.Should().Be(0, run.ToString());
    }

    [Fact]
    public async Task Serve_LogFormatJson_DiagnosticsAreCompactJsonOnStderr_FailedRequestsOnly_StdoutOnlyAuditLines()
    {
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions());
        var config = _directory.WriteFile("servers.json", $$"""
            {
              "mcpServers": { "files": { "url": "{{upstream.McpUrl}}" }, "down": { "url": "{{UnusedLoopback.McpUrl()}}" } },
              "serverAuth": { "providers": [], "acl": { "default": "deny", "roles": {}, "subjects": {} } }
            }
            """);
        var port = UnusedLoopback.Port();
        await using var serve = McpProcess.Start(
            _directory.Path,
            ["serve", "--config", config, "--listen", $"127.0.0.1:{port}", "--audit-log", "-", "--log-format", "json"]);
        using (var client = new HttpClient())
        {
            // The ACL denies everything: the call is decided (and audited, on stdout) without reaching the upstream.
            await WaitForHealthyAsync(client, port);
            using var call = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/mcp/files"))
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"delete_file","arguments":{}}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            call.Headers.Accept.ParseAdd("application/json");
            call.Headers.Accept.ParseAdd("text/event-stream");
            await client.SendAsync(call);

            // An upstream that is down: the gate answers 502, which is the one kind of request diagnostics log.
            using var initialize = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{port}/mcp/down"))
            {
                Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", System.Text.Encoding.UTF8, "application/json"),
            };
            initialize.Headers.Accept.ParseAdd("application/json");
            initialize.Headers.Accept.ParseAdd("text/event-stream");
            ((int)(await client.SendAsync(initialize)).StatusCode).Should().BeGreaterThanOrEqualTo(500);
        }

        await serve.WaitForOutputLineAsync(line => line.StartsWith("{\"ts\":", StringComparison.Ordinal), s_startup);
        await serve.TerminateAsync();
        var run = await serve.WaitForExitAsync(TimeSpan.FromSeconds(90));

        run.ExitCode.Should().Be(0, run.ToString());
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(line => line.StartsWith("{\"ts\":", StringComparison.Ordinal), run.ToString());
        var diagnostics = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => line.StartsWith('{')).ToList();
        diagnostics.Should().NotBeEmpty(run.ToString());
        diagnostics.Should().Contain(line => line.Contains("\"@mt\":\"Audit log: {Destination}", StringComparison.Ordinal), run.ToString());
        diagnostics.Should().NotContain(line => line.Contains("\"SourceContext\":\"Microsoft.AspNetCore.Hosting.Diagnostics\"", StringComparison.Ordinal), "that category is off: hosting then neither logs nor traces a request");
        var requests = diagnostics.Where(line => line.Contains("\"RequestPath\":", StringComparison.Ordinal)).ToList();
        requests.Should().ContainSingle(run.ToString()).Which.Should().Contain("\"RequestPath\":\"/mcp/down\"").And.Contain("\"@l\":\"Error\"");
        foreach (var line in diagnostics)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            json.RootElement.TryGetProperty("@t", out _).Should().BeTrue(line);
        }
    }

    [Fact]
    public async Task Serve_NonLoopbackListenWithoutAllowRemote_ExitsTwo()
    {
        var config = WriteConfig(UnusedLoopback.McpUrl());

        var run = await McpProcess.RunAsync(_directory.Path, ["serve", "--config", config, "--listen", $"0.0.0.0:{UnusedLoopback.Port()}"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("--allow-remote");
    }

    [Fact]
    public async Task Serve_BadConfig_ExitsTwoNamingTheFile()
    {
        var config = _directory.WriteFile("broken.json", """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp", "headerz": {} } } }""");

        var run = await McpProcess.RunAsync(_directory.Path, ["serve", "--config", config, "--listen", $"127.0.0.1:{UnusedLoopback.Port()}"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("broken.json");
    }

    [Fact]
    public async Task ServeAndAclCheck_HostNameListenAddress_AreRefusedByTheSameLoaderError()
    {
        // Once acl check passed this file and serve failed on it: the two must read gateway.listen alike.
        var config = _directory.WriteFile("named-host.json", $$"""
            { "mcpServers": { "a": { "url": "{{UnusedLoopback.McpUrl()}}" } }, "gateway": { "listen": "gw.internal:8080" } }
            """);

        var check = await McpProcess.RunAsync(_directory.Path, ["acl", "check", "--config", config, "--subject", "bob", "--server", "a", "--tool", "t", "--offline"]);
        var serve = await McpProcess.RunAsync(_directory.Path, ["serve", "--config", config]);

        foreach (var run in new[] { check, serve })
        {
            run.ExitCode.Should().Be(2, run.ToString());
            run.Error.Should().Contain("named-host.json").And.Contain("$.gateway.listen").And.Contain("\"0.0.0.0:8080\"");
        }
    }

    [Fact]
    public async Task Serve_UnknownFlag_ExitsTwoWithoutStarting()
    {
        var run = await McpProcess.RunAsync(_directory.Path, ["serve", "--lisen", "127.0.0.1:1"]);

        run.ExitCode.Should().Be(2, run.ToString());
        run.Error.Should().Contain("--lisen").And.Contain("mcp serve --help");
    }

    private static async Task WaitForHealthyAsync(HttpClient client, int port)
    {
        var deadline = DateTime.UtcNow + s_startup;
        while (true)
        {
            try
            {
                if ((await client.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(100);
        }
    }

    private string WriteConfig(Uri upstreamUrl) => _directory.WriteFile("servers.json", $$"""
        {
          "mcpServers": { "files": { "url": "{{upstreamUrl}}" } },
          "serverAuth": { "providers": [], "acl": { "default": "deny", "roles": {}, "subjects": {} } }
        }
        """);
}
