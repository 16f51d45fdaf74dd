using System.Diagnostics;

namespace McpGate.Testing;

/// <summary>
/// A real <c>redis-server</c> (the Debian package; <c>.ci/run</c> installs it) on a free loopback port, in memory
/// only, for the life of a test. Missing binary: a clear failure, never a silent skip.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The <c>gateway.redis</c> connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = UnusedLoopback.Port();
        var process = await ServiceProcess.StartAsync(
            "redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
            port,
            logPath: null);
        return new RedisServer(process, port);
    }

    public ValueTask DisposeAsync() => ServiceProcess.StopAsync(_process);
}
