using System.Diagnostics;
using System.Net.Sockets;

namespace McpGate.Testing;

/// <summary>
/// A process a test runs beside it and talks to over loopback: a Debian-packaged service (HAProxy, Redis, Prometheus)
/// or a node peer (<see cref="NodePeers.StartListeningAsync"/>). Its output is read as it comes, so a chatty process
/// never blocks on a full pipe, and its last lines are kept for the failure messages; it is waited for until it is
/// ready, and killed with its children when the test is done.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    // Enough for a failure message, and for a ready line: peers print it first.
    private const int KeptLines = 100;

    private readonly Process _process;
    private readonly string _name;
    private readonly string? _logPath;
    private readonly Lock _gate = new();
    private readonly Queue<(bool FromStdout, string Line)> _lastLines = new();
    private int _disposed;

    private ServiceProcess(Process process, string name, string? logPath)
    {
        _process = process;
        _name = name;
        _logPath = logPath;
    }

    /// <summary>
    /// Starts <paramref name="name"/>, the Debian-packaged binary, and returns once it accepts connections on
    /// <paramref name="port"/>; a missing binary is a clear failure naming the package.
    /// </summary>
    /// <param name="logPath">A file every line it prints is appended to, kept beside its config; null for none.</param>
    public static Task<ServiceProcess> StartAsync(string name, IEnumerable<string> args, int port, string? logPath) =>
        StartAsync(name, new ProcessStartInfo(Installed(name), args), service => service.WaitForPortAsync(port), logPath);

    /// <summary>
    /// Starts <paramref name="startInfo"/> (its output redirected here) and returns once <paramref name="ready"/>
    /// completes; when it fails, the process is killed before the failure goes on.
    /// </summary>
    /// <param name="name">What the failure messages call it.</param>
    public static async Task<ServiceProcess> StartAsync(string name, ProcessStartInfo startInfo, Func<ServiceProcess, Task> ready, string? logPath = null)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {name}");
        var service = new ServiceProcess(process, name, logPath);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data, fromStdout: true);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data, fromStdout: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready(service);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The full path of <paramref name="name"/>; a missing binary is a clear failure naming the package.</summary>
    public static string Installed(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin"]))
        {
            var candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"{name} is not installed: run `apt-get install -y --no-install-recommends {name}` (.ci/run installs it when missing)");
    }

    /// <summary>The first line on standard output that starts with <paramref name="prefix"/>, once it is printed.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        string? seen = null;
        await WaitUntilAsync(() => Task.FromResult((seen = FirstLine(prefix)) is not null), timeout, $"print \"{prefix}…\"");
        return seen!;
    }

    /// <summary>Returns once something accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public Task WaitForPortAsync(int port) => WaitUntilAsync(
        async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        },
        TimeSpan.FromSeconds(15),
        $"listen on 127.0.0.1:{port}");

    /// <summary>
    /// Asks <paramref name="ready"/> every 100 ms until it says yes; fails at once when the process exits, and with
    /// its last output after <paramref name="timeout"/>.
    /// </summary>
    /// <param name="what">What it is waited for to do, for the failure message: "listen on 127.0.0.1:6379".</param>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode} before it would {what}{LastLines()}");
            }

            if (await ready())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{_name} did not {what} within {timeout.TotalSeconds:0} s{LastLines()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line, bool fromStdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_lastLines.Count == KeptLines)
            {
                _lastLines.Dequeue();
            }

            _lastLines.Enqueue((fromStdout, line));
            if (_logPath is not null)
            {
                File.AppendAllText(_logPath, line + "\n");
            }
        }
    }

    private string? FirstLine(string prefix)
    {
        lock (_gate)
        {
            return _lastLines.FirstOrDefault(kept => kept.FromStdout && kept.Line.StartsWith(prefix, StringComparison.Ordinal)).Line;
        }
    }

    /// <summary>What it printed last (both streams), for a failure message.</summary>
    private string LastLines()
    {
        lock (_gate)
        {
            return _lastLines.Count == 0 ? " (it printed nothing)" : $"; its last output:\n{string.Join('\n', _lastLines.Select(kept => kept.Line))}";
        }
    }
}
