using System.Globalization;
using System.Net;
using McpGate.SampleServer.Databricks;
using McpGate.SampleServer.Github;
using McpGate.SampleServer.Grafana;
using McpGate.SampleServer.Sentry;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace McpGate.SampleServer;

/// <summary>One running sample upstream.</summary>
/// <param name="Alias">The name the demo config gives it (<c>github</c>, <c>grafana</c>, …).</param>
/// <param name="McpUrl">Where its MCP endpoint listens.</param>
public sealed record SampleUpstream(string Alias, Uri McpUrl);

/// <summary>
/// The four sample upstreams of the demo (github, grafana, databricks, sentry), each a real MCP server built with the
/// official SDK in its own <see cref="WebApplication"/> on 127.0.0.1, port base + 1…4. Both protocol eras work:
/// <c>initialize</c> clients get sessions, 2026-07-28 clients are served statelessly.
/// </summary>
public sealed class SampleUpstreams : IAsyncDisposable
{
    public const int DefaultPortBase = 3100;

    /// <summary>Environment variable that overrides the port base (a <c>--port-base</c> argument wins over it).</summary>
    public const string PortBaseVariable = "MCPGATE_SAMPLE_PORT_BASE";

    private static readonly (string Alias, int Offset, Action<IMcpServerBuilder> AddFeatures)[] s_servers =
    [
        ("github", 1, mcp => mcp.WithTools(new GithubTools()).WithResources<GithubResources>().WithPrompts<GithubPrompts>()),
        ("grafana", 2, mcp => mcp.WithTools(new GrafanaTools())),
        ("databricks", 3, mcp => mcp.WithTools(new DatabricksTools())),
        ("sentry", 4, mcp => mcp.WithTools(new SentryTools())),
    ];

    private readonly List<WebApplication> _apps;

    private SampleUpstreams(List<WebApplication> apps, IReadOnlyList<SampleUpstream> servers)
    {
        _apps = apps;
        Servers = servers;
    }

    public IReadOnlyList<SampleUpstream> Servers { get; }

    /// <summary>Starts all four on the port base from <see cref="PortBaseVariable"/>, or <see cref="DefaultPortBase"/>.</summary>
    public static Task<SampleUpstreams> StartAsync(CancellationToken ct = default) =>
        StartAsync(ResolvePortBase([]), ct);

    /// <summary>Starts all four on <paramref name="portBase"/> + 1…4.</summary>
    /// <exception cref="InvalidOperationException">A port is taken; nothing is left running.</exception>
    public static async Task<SampleUpstreams> StartAsync(int portBase, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(portBase);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(portBase, IPEndPoint.MaxPort - s_servers.Length);

        var apps = new List<WebApplication>();
        var servers = new List<SampleUpstream>();
        try
        {
            foreach (var (alias, offset, addFeatures) in s_servers)
            {
                var port = portBase + offset;
                var app = Build(alias, port, addFeatures);
                apps.Add(app);
                try
                {
                    await app.StartAsync(ct);
                }
                catch (IOException ex)
                {
                    throw new InvalidOperationException(
                        $"cannot start sample server '{alias}' on 127.0.0.1:{port}: {ex.Message.TrimEnd('.')}. " +
                        $"Pick other ports with --port-base N or {PortBaseVariable}=N (servers use N+1…N+{s_servers.Length}).", ex);
                }

                servers.Add(new SampleUpstream(alias, new Uri($"http://127.0.0.1:{port}/mcp")));
            }
        }
        catch
        {
            await StopAllAsync(apps);
            throw;
        }

        return new SampleUpstreams(apps, servers);
    }

    /// <summary>
    /// The port base from <c>--port-base N</c> (or <c>--port-base=N</c>) in <paramref name="args"/>, else from
    /// <see cref="PortBaseVariable"/>, else <see cref="DefaultPortBase"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not a port number.</exception>
    public static int ResolvePortBase(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--port-base")
            {
                return ParsePort(i + 1 < args.Count ? args[i + 1] : null, "--port-base");
            }

            if (args[i].StartsWith("--port-base=", StringComparison.Ordinal))
            {
                return ParsePort(args[i]["--port-base=".Length..], "--port-base");
            }
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(PortBaseVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultPortBase : ParsePort(fromEnvironment, PortBaseVariable);
    }

    public async ValueTask DisposeAsync() => await StopAllAsync(_apps);

    private static WebApplication Build(string alias, int port, Action<IMcpServerBuilder> addFeatures)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = $"McpGate.SampleServer.{alias}",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        // The host process (this sample's Program, or a demo launcher) owns Ctrl+C and shutdown, not each server.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed bind is reported once, by StartAsync's exception, not also as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        var mcp = builder.Services
            .AddMcpServer(server => server.ServerInfo = new Implementation { Name = $"sample-{alias}", Version = "1.0.0" })
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.StatefulForInitializeClients);
        addFeatures(mcp);

        var app = builder.Build();
        app.MapMcp("/mcp");
        return app;
    }

    private static async Task StopAllAsync(List<WebApplication> apps)
    {
        foreach (var app in apps)
        {
            try
            {
                await app.StopAsync();
            }
            finally
            {
                await app.DisposeAsync();
            }
        }
    }

    private static int ParsePort(string? value, string source) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) &&
        port <= IPEndPoint.MaxPort - s_servers.Length
            ? port
            : throw new ArgumentException(
                $"{source} must be a port number between 0 and {IPEndPoint.MaxPort - s_servers.Length}, got '{value}'.");

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
