using System.Diagnostics;

namespace McpGate.Testing;

/// <summary>Runs a command to its end, as a user or a CI script does, and returns what it printed and its exit code.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="startInfo"/> (its output redirected here) to its exit, with <paramref name="input"/> on its
    /// standard input when given; after <paramref name="timeout"/> it is killed and the failure carries what it printed
    /// so far, which says where it hung.
    /// </summary>
    public static async Task<McpRun> RunAsync(ProcessStartInfo startInfo, TimeSpan timeout, string? input = null)
    {
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = input is not null;
        var command = $"{startInfo.FileName} {(startInfo.ArgumentList.Count > 0 ? string.Join(' ', startInfo.ArgumentList) : startInfo.Arguments)}";
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {command}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout}:\n{await output}{await error}");
        }

        return new McpRun(process.ExitCode, await output, await error);
    }
}
