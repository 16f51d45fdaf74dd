using System.Net;
using McpGate.Cli.Tests.Support;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary><c>mcp serve</c> as a process: the command line's part is flags in, signals handled, exit code out.</summary>
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
        await WaitUntilHealthyAsync(serve, new Uri($"http://127.0.0.1:{port}/healthz"));

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

    /// <summary>Polls /healthz (a condition, bounded by a deadline) until the gateway answers 200.</summary>
    private static async Task WaitUntilHealthyAsync(RunningMcp serve, Uri healthz)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + s_startup;
        while (true)
        {
            if (serve.HasExited)
            {
                var run = await serve.WaitForExitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException("mcp serve exited before it was healthy: " + run);
            }

            try
            {
                using var response = await client.GetAsync(healthz);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"mcp serve was not healthy at {healthz} within {s_startup}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
