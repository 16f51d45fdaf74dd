using System.Net;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Hosting;
using McpGate.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>The real gate (same composition root as <c>mcp serve</c>) on a dynamic loopback port, with its config in a temp dir.</summary>
internal sealed class RunningGate : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningGate(WebApplication app, string directory, Uri baseUrl)
    {
        _app = app;
        Directory = directory;
        BaseUrl = baseUrl;
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "servers.json");

    public string AuditDirectory => Path.Combine(Directory, "audit");

    public Uri BaseUrl { get; }

    public IServiceProvider Services => _app.Services;

    public Uri McpUrl(string alias) => new(BaseUrl, "/mcp/" + alias);

    /// <param name="port">The port to listen on; 0 picks one. A config that names the gate's own URL (oauth's
    /// <c>resource</c>) needs it known before the gate starts: <see cref="McpGate.Testing.UnusedLoopback.Port"/>.</param>
    public static async Task<RunningGate> StartAsync(string configJson, Action<WebApplicationBuilder>? configure = null, int port = 0)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mcpgate-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "servers.json");
        await File.WriteAllTextAsync(configPath, configJson);
        var config = ConfigLoader.Load(configPath);
        var app = GatewayApplication.Build(config, new ListenAddress(IPAddress.Loopback, port, IsLocalhostName: false), Path.Combine(directory, "audit", "mcpgate-.jsonl"), configure: configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningGate(app, directory, new Uri(address));
    }

    /// <summary>
    /// Completes when the gate's startup discovery of <paramref name="alias"/> has ended (it starts with the gate), so
    /// a test's own requests are not mixed with it. Starts no discovery of its own within five seconds of the last.
    /// </summary>
    public Task CatalogReadyAsync(string alias = "files")
    {
        var state = Services.GetRequiredService<GateStateStore>().Current;
        return Services.GetRequiredService<ToolCatalog>().RefreshAsync(state.Config.Servers[alias], state.Config.Gateway.DiscoveryTimeout, force: false, CancellationToken.None);
    }

    /// <summary>The upstream's own session id inside the sealed one a client was given (the upstream never sees the sealed one).</summary>
    public string UpstreamSessionId(string sealedId) =>
        Services.GetRequiredService<McpGate.Gateway.Sessions.SessionSealer>().Open(sealedId)?.UpstreamSessionId
        ?? throw new InvalidOperationException("not a session id this gate sealed");

    /// <summary>Every audit line written so far, parsed.</summary>
    public IReadOnlyList<System.Text.Json.JsonElement> AuditLines()
    {
        var lines = new List<System.Text.Json.JsonElement>();
        if (!System.IO.Directory.Exists(AuditDirectory))
        {
            return lines;
        }

        foreach (var file in System.IO.Directory.GetFiles(AuditDirectory, "*.jsonl"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0)
                {
                    lines.Add(System.Text.Json.JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        }

        return lines;
    }

    /// <summary>
    /// The audit lines once <paramref name="condition"/> holds for them. An allowed call's line is written after its
    /// answer has gone out, so a caller that has its result may read the log a moment before the line is there.
    /// </summary>
    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> WaitForAuditLinesAsync(Func<IReadOnlyList<System.Text.Json.JsonElement>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = AuditLines();
            if (condition(lines))
            {
                return lines;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the audit log did not reach the expected state within 10 s ({lines.Count} lines)");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
