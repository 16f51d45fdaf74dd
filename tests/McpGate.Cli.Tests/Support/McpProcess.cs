using System.Diagnostics;

namespace McpGate.Cli.Tests.Support;

/// <summary>What one run of the built <c>mcp</c> binary printed and returned.</summary>
internal sealed record McpRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the BUILT <c>mcp</c> (src/McpGate.Cli/bin/&lt;Configuration&gt;/net10.0/mcp.dll) as a child process, the
/// way a user or a CI script does: real argv, real stdout/stderr, real exit code.
/// </summary>
internal static class McpProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);
    private static readonly Lazy<string> s_dll = new(FindDll);

    private static readonly Lazy<string> s_root = new(FindRepositoryRoot);

    public static string DllPath => s_dll.Value;

    /// <summary>The directory holding McpGate.sln.</summary>
    public static string RepositoryRoot => s_root.Value;

    /// <param name="workingDirectory">Also used as HOME, so neither ./servers.json nor ~/.config/mcp is found by accident.</param>
    public static async Task<McpRun> RunAsync(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
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

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mcp {string.Join(' ', args)} did not exit within {s_timeout}.");
        }

        return new McpRun(process.ExitCode, await output, await error);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "McpGate.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No McpGate.sln above {AppContext.BaseDirectory}.");
    }

    private static string FindDll()
    {
        // bin/<Configuration>/net10.0/ of this test assembly names the configuration the CLI was built in.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent?.Name ?? "Debug";
        var dll = Path.Combine(RepositoryRoot, "src", "McpGate.Cli", "bin", configuration, testOutput.Name, "mcp.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        var copied = Path.Combine(AppContext.BaseDirectory, "mcp.dll");
        return File.Exists(copied) ? copied : throw new FileNotFoundException("The built mcp.dll was not found; build src/McpGate.Cli first.");
    }
}
