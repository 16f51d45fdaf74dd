using McpGate.Audit;
using McpGate.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpGate.Gateway.Hosting;

/// <summary>
/// Starts the gate from what <c>mcp serve</c> was told and reports the outcome; it writes nothing to the terminal
/// and picks no exit code (the CLI does both). Built on <see cref="GatewayApplication"/>, the one composition root.
/// </summary>
public static class GatewayHost
{
    public static async Task<GatewayStartResult> StartAsync(GatewayRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        GateConfig config;
        try
        {
            config = ConfigLoader.Load(ConfigLocator.Resolve(options.ConfigPath));
        }
        catch (ConfigLoadException ex)
        {
            return GatewayStartResult.Failed(GatewayStartStatus.InvalidConfig, ex.Message);
        }

        var listenText = options.Listen ?? config.Gateway.Listen;
        if (!ListenAddress.TryParse(listenText, out var listen, out var listenError))
        {
            return GatewayStartResult.Failed(GatewayStartStatus.InvalidListenAddress, listenError!);
        }

        if (!listen!.IsLoopback && !options.AllowRemote)
        {
            return GatewayStartResult.Failed(GatewayStartStatus.RemoteNotAllowed,
                $"{listen} is not a loopback address. The gate speaks plain HTTP; to listen on a network anyway, add --allow-remote (and put TLS in front of it).");
        }

        WebApplication app;
        try
        {
            app = GatewayApplication.Build(config, listen, options.AuditLogPath, options.LogFormat);
        }
        catch (ConfigLoadException ex)
        {
            // gateway.audit.serilog is built with the application, so its mistakes are config mistakes too.
            return GatewayStartResult.Failed(GatewayStartStatus.InvalidConfig, ex.Message);
        }

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            return GatewayStartResult.Failed(GatewayStartStatus.AddressInUse, $"cannot listen on {listen}: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await app.DisposeAsync();
            return GatewayStartResult.Failed(GatewayStartStatus.Cancelled, "cancelled before the gate listened");
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? listen.ToString();
        var audit = app.Services.GetRequiredService<IAuditHealth>();
        return GatewayStartResult.Running(new RunningGateway(app, config, address, audit.Destination));
    }
}

/// <summary>How <see cref="GatewayHost.StartAsync"/> ended.</summary>
public enum GatewayStartStatus
{
    /// <summary>Listening: <see cref="GatewayStartResult.Gateway"/> is set.</summary>
    Started,

    /// <summary>The config could not be found or loaded; the message names the file, the JSON path and the fix.</summary>
    InvalidConfig,

    /// <summary><c>--listen</c> or <c>gateway.listen</c> is not <c>HOST:PORT</c>.</summary>
    InvalidListenAddress,

    /// <summary>A non-loopback address without <c>--allow-remote</c>.</summary>
    RemoteNotAllowed,

    /// <summary>The address is taken (or cannot be bound).</summary>
    AddressInUse,

    /// <summary>Stopped before it listened.</summary>
    Cancelled,
}

public sealed class GatewayStartResult
{
    private GatewayStartResult(GatewayStartStatus status, string? error, RunningGateway? gateway)
    {
        Status = status;
        Error = error;
        Gateway = gateway;
    }

    public GatewayStartStatus Status { get; }

    /// <summary>What went wrong, for a person; null once started.</summary>
    public string? Error { get; }

    /// <summary>The listening gate, when <see cref="Status"/> is <see cref="GatewayStartStatus.Started"/>.</summary>
    public RunningGateway? Gateway { get; }

    internal static GatewayStartResult Failed(GatewayStartStatus status, string error) => new(status, error, null);

    internal static GatewayStartResult Running(RunningGateway gateway) => new(GatewayStartStatus.Started, null, gateway);
}

/// <summary>A gate that listens: what it serves, and a way to wait for its graceful stop.</summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    internal RunningGateway(WebApplication app, GateConfig config, string address, string auditDestination)
    {
        _app = app;
        Config = config;
        Address = address;
        AuditDestination = auditDestination;
    }

    /// <summary>The address it listens on, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string Address { get; }

    /// <summary>The config it loaded at start (reloads do not change this value).</summary>
    public GateConfig Config { get; }

    /// <summary>Where audit lines go: the full file pattern, or <c>stdout</c>.</summary>
    public string AuditDestination { get; }

    /// <summary>True when audit lines go to standard output, which then carries nothing else.</summary>
    public bool AuditsToStdout => AuditDestination == McpGate.Audit.AuditDestination.Stdout.Description;

    /// <summary>Completes after SIGINT/SIGTERM (or <paramref name="cancellationToken"/>) once in-flight requests have
    /// drained.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
