using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace McpGate.Bench.Runner;

/// <summary>What the numbers were measured on, read from the machine itself (never typed in).</summary>
internal static class Machine
{
    public static MachineInfo Describe(string repoRoot) => new(
        CpuCount(),
        ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ReadMemTotalMb(),
        (ReadField("/etc/os-release", "PRETTY_NAME", '=') ?? RuntimeInformation.OSDescription).Trim('"'),
        RuntimeInformation.FrameworkDescription,
        WrkVersion(),
        GitCommit(repoRoot),
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));

    /// <summary>
    /// The machine's CPUs, not this process's: the runner itself runs pinned to one CPU, where
    /// <see cref="Environment.ProcessorCount"/> says 1.
    /// </summary>
    public static int CpuCount()
    {
        if (File.Exists("/proc/cpuinfo"))
        {
            var count = File.ReadLines("/proc/cpuinfo").Count(line => line.StartsWith("processor", StringComparison.Ordinal));
            if (count > 0)
            {
                return count;
            }
        }

        return Environment.ProcessorCount;
    }

    /// <summary><c>wrk debian/4.1.0-3+b2 [epoll] Copyright …</c> → <c>wrk debian/4.1.0-3+b2 [epoll]</c>.</summary>
    private static string WrkVersion()
    {
        var line = FirstLine("wrk", ["-v"]);
        if (line is null)
        {
            return "wrk not installed";
        }

        var copyright = line.IndexOf(" Copyright", StringComparison.Ordinal);
        return copyright > 0 ? line[..copyright] : line;
    }

    private static string? ReadField(string path, string key, char separator = ':')
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line[..at].Trim() == key)
            {
                return line[(at + 1)..].Trim();
            }
        }

        return null;
    }

    private static long ReadMemTotalMb()
    {
        var value = ReadField("/proc/meminfo", "MemTotal");
        if (value is null)
        {
            return 0;
        }

        var digits = value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.Parse(digits, CultureInfo.InvariantCulture) / 1024;
    }

    private static string GitCommit(string repoRoot)
    {
        var commit = FirstLine("git", ["-C", repoRoot, "rev-parse", "--short", "HEAD"]) ?? "unknown";
        var dirty = FirstLine("git", ["-C", repoRoot, "status", "--porcelain", "--untracked-files=no"]);
        return string.IsNullOrEmpty(dirty) ? commit : commit + " (with local changes)";
    }

    private static string? FirstLine(string fileName, string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return line;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
