namespace McpGate.Testing;

/// <summary>
/// A real <c>redis-server</c> (the Debian package; <c>.ci/run</c> installs it) on a free loopback port, in memory
/// only, for the life of a test. Missing binary: a clear failure, never a silent skip.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private ServiceProcess? _process;

    private RedisServer(ServiceProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>gateway.redis</c> connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync() => await StartAsync(UnusedLoopback.Port());

    /// <summary>Kills the server, as an outage does: what it held in memory is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    /// <summary>Starts an empty server again on the same port (after <see cref="StopAsync"/>).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _process = (await StartAsync(Port))._process;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static async Task<RedisServer> StartAsync(int port)
    {
        var process = await ServiceProcess.StartAsync(
            "redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
            port,
            logPath: null);
        return new RedisServer(process, port);
    }
}
