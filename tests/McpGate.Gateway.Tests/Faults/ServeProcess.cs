using System.Diagnostics;
using System.Globalization;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>
/// The built <c>mcp serve</c> (src/McpGate.Cli/bin/&lt;Configuration&gt;/net10.0/mcp.dll) as a child process, so a
/// test can send it the SIGTERM a service manager sends. Killed on dispose if it is still running.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _output = new();
    private readonly Task _stdout;
    private readonly Task<string> _stderr;

    private ServeProcess(Process process)
    {
        _process = process;
        _stdout = ReadAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServeProcess> StartAsync(string directory, string configPath, int port, string auditPattern)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { CliDll(), "serve", "--config", configPath, "--listen", $"127.0.0.1:{port}", "--audit-log", auditPattern })
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["HOME"] = directory;
        var serve = new ServeProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("could not start dotnet"));
        await serve._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return serve;
    }

    /// <summary>SIGTERM, as systemd or Kubernetes stop the gate.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task<(int ExitCode, string Error)> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        await _stdout;
        return (_process.ExitCode, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line.StartsWith("McpGate listening on", StringComparison.Ordinal))
            {
                _listening.TrySetResult();
            }
        }

        _listening.TrySetException(new InvalidOperationException("mcp serve exited before listening:\n" + Output));
    }

    private static string CliDll()
    {
        // bin/<Configuration>/net10.0/ of this test assembly names the configuration the CLI was built in.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGate.sln")))
            {
                var dll = Path.Combine(directory.FullName, "src", "McpGate.Cli", "bin", output.Parent!.Name, output.Name, "mcp.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/McpGate.Cli first", dll);
            }
        }

        throw new DirectoryNotFoundException("no McpGate.sln above " + AppContext.BaseDirectory);
    }
}
