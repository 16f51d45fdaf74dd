using System.Diagnostics;

namespace McpGate.Testing;

/// <summary>What one run of the built <c>mcp</c> binary (or another command: <see cref="ProcessRunner"/>) printed and returned.</summary>
public sealed record McpRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the BUILT <c>mcp</c> (src/McpGate.Cli/bin/&lt;Configuration&gt;/net10.0/mcp.dll) as a child process, the
/// way a user or a CI script does: real argv, real stdout/stderr, real exit code.
/// </summary>
public static class McpProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);
    private static readonly Lazy<string> s_dll = new(FindDll);

    public static string DllPath => s_dll.Value;

    /// <param name="workingDirectory">Also used as HOME, so neither ./servers.json nor ~/.config/mcp is found by accident.</param>
    /// <param name="stdinFile">Piped to the process's standard input (for <c>--log -</c>), then closed.</param>
    public static async Task<McpRun> RunAsync(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdinFile = null)
    {
        await using var running = Start(workingDirectory, args, environment, stdinFile);
        return await running.WaitForExitAsync(s_timeout);
    }

    /// <summary>Starts <c>mcp</c> and returns while it runs (for <c>mcp serve</c>).</summary>
    public static RunningMcp Start(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdinFile = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdinFile is not null,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment.Remove("MCP_CONFIG_PATH");
        startInfo.Environment["HOME"] = workingDirectory;
        startInfo.Environment["NO_COLOR"] = null;
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start dotnet");
        if (stdinFile is not null)
        {
            using (var input = File.OpenRead(stdinFile))
            {
                input.CopyTo(process.StandardInput.BaseStream);
            }

            process.StandardInput.Close();
        }

        return new RunningMcp(process, string.Join(' ', args));
    }

    private static string FindDll()
    {
        // bin/<Configuration>/net10.0/ of this test assembly names the configuration the CLI was built in.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent?.Name ?? "Debug";
        var dll = Path.Combine(RepositoryFiles.Root, "src", "McpGate.Cli", "bin", configuration, testOutput.Name, "mcp.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, "mcp.dll");
        return File.Exists(copied) ? copied : throw new FileNotFoundException("The built mcp.dll was not found; build src/McpGate.Cli first.");
    }
}

/// <summary>An <c>mcp</c> process this test started; killed on dispose if it is still running.</summary>
public sealed class RunningMcp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _commandLine;
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Task _output;
    private readonly Task<string> _error;
    private bool _outputEnded;

    public RunningMcp(Process process, string commandLine)
    {
        _process = process;
        _commandLine = commandLine;
        _output = ReadOutputAsync(process.StandardOutput);
        _error = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    /// <summary>Sends SIGTERM, as a service manager stopping the gateway does.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>SIGKILL, as a node going away: no drain, no flush.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Completes with the first stdout line (already printed or still to come) that matches.</summary>
    public async Task<string> WaitForOutputLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        TaskCompletionSource<string> seen;
        lock (_gate)
        {
            foreach (var line in _lines)
            {
                if (match(line))
                {
                    return line;
                }
            }

            if (_outputEnded)
            {
                throw new InvalidOperationException($"mcp {_commandLine} closed stdout without the expected line:\n{string.Join('\n', _lines)}");
            }

            seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
        }

        return await seen.Task.WaitAsync(timeout);
    }

    public async Task<McpRun> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mcp {_commandLine} did not exit within {timeout}.");
        }

        await _output;
        string output;
        lock (_gate)
        {
            output = string.Concat(_lines.Select(line => line + Environment.NewLine));
        }

        return new McpRun(_process.ExitCode, output, await _error);
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

    private async Task ReadOutputAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _lines.Add(line);
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Match(line))
                    {
                        _waiters[i].Seen.TrySetResult(line);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }

        lock (_gate)
        {
            _outputEnded = true;
            foreach (var (_, seen) in _waiters)
            {
                seen.TrySetException(new InvalidOperationException($"mcp {_commandLine} closed stdout without the expected line:\n{string.Join('\n', _lines)}"));
            }

            _waiters.Clear();
        }
    }
}
