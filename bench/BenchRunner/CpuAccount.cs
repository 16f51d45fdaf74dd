using System.Globalization;

namespace McpGate.Bench.Runner;

/// <summary>
/// How much of CPU 0 went to processes other than the bench's own servers during a run: CPU 0's busy time from
/// /proc/stat minus the servers' own CPU time from /proc/&lt;pid&gt;/stat. With the proxy pinned alone to CPU 0, this
/// is the share that other work on the machine took from it.
/// </summary>
internal readonly record struct CpuAccount(long Cpu0Busy, long Cpu0Total, long OwnTicks, bool Valid)
{
    /// <param name="processes">The processes pinned to CPU 0, whose time there is the bench's own.</param>
    public static CpuAccount Take(IEnumerable<ManagedProcess> processes)
    {
        try
        {
            long busy = 0;
            long total = 0;
            foreach (var line in File.ReadLines("/proc/stat"))
            {
                if (!line.StartsWith("cpu0 ", StringComparison.Ordinal))
                {
                    continue;
                }

                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (var i = 1; i < fields.Length; i++)
                {
                    var value = long.Parse(fields[i], CultureInfo.InvariantCulture);
                    total += value;

                    // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
                    if (i is not (4 or 5))
                    {
                        busy += value;
                    }
                }

                break;
            }

            long own = 0;
            foreach (var process in processes)
            {
                own += ProcessTicks(process.Pid);
            }

            return new CpuAccount(busy, total, own, total > 0);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    /// <summary>Percent of CPU 0 used by processes other than the ones sampled (the proxies pinned there).</summary>
    public static double ForeignPercent(CpuAccount before, CpuAccount after)
    {
        if (!before.Valid || !after.Valid || after.Cpu0Total <= before.Cpu0Total)
        {
            return 0;
        }

        var busy = after.Cpu0Busy - before.Cpu0Busy;
        var own = after.OwnTicks - before.OwnTicks;
        var foreign = Math.Max(0, busy - own);
        return 100.0 * foreign / (after.Cpu0Total - before.Cpu0Total);
    }

    /// <summary>A process's CPU time (user and system) in clock ticks of 10 ms, 0 when it cannot be read.</summary>
    public static long ProcessTicks(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");

            // Fields after the command name (which may contain spaces) start after the last ')': utime is field 14,
            // stime 15, i.e. the 12th and 13th after it.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
