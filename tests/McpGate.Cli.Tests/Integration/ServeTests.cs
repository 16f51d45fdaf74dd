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

    private string WriteConfig(Uri upstreamUrl) => _directory.WriteFile("servers.json", $$"""
        {
          "mcpServers": { "files": { "url": "{{upstreamUrl}}" } },
          "serverAuth": { "providers": [], "acl": { "default": "deny", "roles": {}, "subjects": {} } }
        }
        """);
}
