using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace McpGate.Bench.Runner;

/// <summary>
/// A server process the bench started (pinned with <c>taskset</c> when asked), its output going straight to a log
/// file so the runner never has to pump it. Stopped by its own pid only: SIGTERM, then SIGKILL after a grace period.
/// </summary>
internal sealed partial class ManagedProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;

    private ManagedProcess(string name, string? cpuList, Process process, string logPath)
    {
        Name = name;
        CpuList = cpuList;
        _process = process;
        LogPath = logPath;
    }

    public string Name { get; }

    /// <summary>The CPUs it is pinned to (taskset syntax), or null when unpinned.</summary>
    public string? CpuList { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ManagedProcess Start(
        string name, string? cpuList, string fileName, IReadOnlyList<string> arguments, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        // `sh -c 'exec taskset -c N cmd ... >log 2>&1'`: every exec keeps the pid, so Pid is the server itself
        // (what /proc/<pid>/status and SIGTERM must reach), and the redirection costs the runner nothing.
        var command = new List<string>();
        if (cpuList is not null)
        {
            command.AddRange(["taskset", "-c", cpuList]);
        }

        command.Add(fileName);
        command.AddRange(arguments);
        var script = "exec " + string.Join(' ', command.ConvertAll(Quote)) + " >" + Quote(logPath) + " 2>&1";
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        return new ManagedProcess(name, cpuList, process, logPath);
    }

    /// <summary>Waits until <paramref name="port"/> accepts connections (and, when given, <paramref name="healthPath"/> answers 2xx).</summary>
    public async Task WaitReadyAsync(int port, string? healthPath, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new BenchException($"{Name} exited with code {_process.ExitCode} before it was ready; see {LogPath}:\n{Tail(LogPath)}");
            }

            try
            {
                if (healthPath is null)
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync("127.0.0.1", port);
                    return;
                }

                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{healthPath}"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new BenchException($"{Name} was not ready on port {port} within {timeout.TotalSeconds:0} s; see {LogPath}:\n{Tail(LogPath)}");
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in kB (0 when the process is gone).</summary>
    public long ReadRssKb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var digits = line.AsSpan(6).Trim();
                    var end = digits.IndexOf(' ');
                    return long.Parse(end < 0 ? digits : digits[..end], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>SIGTERM (the gate drains and flushes its audit log), then SIGKILL if it has not exited in time.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        _ = Kill(Pid, SigTerm);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    public static string Tail(string path, int lines = 20)
    {
        try
        {
            var all = File.ReadAllLines(path);
            return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Quotes <paramref name="value"/> as one word for /bin/sh.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>A bench failure with a message worth printing as is; the runner exits non-zero.</summary>
internal sealed class BenchException(string message) : Exception(message);
