using System.Diagnostics;
using System.Net.Sockets;

namespace McpGate.Testing;

/// <summary>A Debian-packaged service binary run by a test: found, started, waited for, stopped.</summary>
public static class ServiceProcess
{
    /// <summary>Starts <paramref name="name"/> and returns once it accepts connections on <paramref name="port"/>;
    /// a missing binary is a clear failure naming the package.</summary>
    public static async Task<Process> StartAsync(string name, IEnumerable<string> args, int port, string? logPath)
    {
        var binary = Find(name)
            ?? throw new InvalidOperationException($"{name} is not installed: run `apt-get install -y {name}` (.ci/run installs it when missing)");
        var startInfo = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {name}");
        DataReceivedEventHandler log = logPath is null
            ? static (_, _) => { }
            : (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (process)
                    {
                        File.AppendAllText(logPath, e.Data + "\n");
                    }
                }
            };
        process.OutputDataReceived += log;
        process.ErrorDataReceived += log;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(port, process, name);
            return process;
        }
        catch
        {
            await StopAsync(process);
            throw;
        }
    }

    public static async ValueTask StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static string? Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin", "/sbin"]))
        {
            var candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task WaitForPortAsync(int port, Process process, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{what} exited with code {process.ExitCode} before listening on {port}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"{what} did not listen on 127.0.0.1:{port} within 15 s");
    }
}
