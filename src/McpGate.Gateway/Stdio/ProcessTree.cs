using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// Ends a child and what it started. <c>npx</c>, <c>uvx</c> and shell wrappers run the server as a grandchild: a
/// signal to the child alone can leave the server running with no parent. The descendants are listed (from /proc on
/// Linux) while the child is still alive, then signalled with it.
/// </summary>
internal static class ProcessTree
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>The ids of <paramref name="root"/>'s descendants, children first; empty where /proc is not there.</summary>
    public static List<int> Descendants(int root)
    {
        var result = new List<int>();
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
        {
            return result;
        }

        var parents = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ParentOf(directory) is not { } parent)
            {
                continue;
            }

            if (!parents.TryGetValue(parent, out var children))
            {
                parents[parent] = children = [];
            }

            children.Add(pid);
        }

        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in parents.GetValueOrDefault(pid) ?? [])
            {
                result.Add(child);
                queue.Enqueue(child);
            }
        }

        return result;
    }

    /// <summary>Asks the processes to end (SIGTERM); on Windows there is no such signal, and nothing is sent.</summary>
    public static void Terminate(IEnumerable<int> processIds) => Signal(processIds, SigTerm);

    public static void Kill(IEnumerable<int> processIds) => Signal(processIds, SigKill);

    private static void Signal(IEnumerable<int> processIds, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var pid in processIds)
        {
            // Gone already is fine (ESRCH); a pid reused this fast by an unrelated process is not a risk worth more code.
            _ = SystemKill(pid, signal);
        }
    }

    private static int? ParentOf(string procDirectory)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read from the last ')'.
            var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
            var end = stat.LastIndexOf(')');
            var fields = stat.AsSpan(end + 2).ToString().Split(' ');
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent) ? parent : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // DllImport, not LibraryImport: the generated stub would need unsafe code for this one blittable call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SystemKill(int pid, int signal);

    /// <summary>True while <paramref name="pid"/> names a live process; a zombie (ended, not yet reaped) is not.</summary>
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var end = stat.LastIndexOf(')');
                return end > 0 && end + 2 < stat.Length && stat[end + 2] is not ('Z' or 'X');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
