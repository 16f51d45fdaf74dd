using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace McpGate.Bench.Runner;

/// <summary>
/// Runs wrk with bench/load/mcp.lua and reads the JSON line its <c>done()</c> prints. <paramref name="uniqueIds"/>
/// gives every request its own JSON-RPC id (see the script).
/// </summary>
internal sealed class Wrk(string scriptPath, string? cpuList, int threads, int connections, bool uniqueIds = false)
{
    private const string Marker = "BENCH_JSON ";

    public async Task<WrkResult> RunAsync(
        Uri url, string kind, TimeSpan duration, int delayMs, string token, string? session, string protocol)
    {
        var info = new ProcessStartInfo(cpuList is null ? "wrk" : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpuList is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpuList);
            info.ArgumentList.Add("wrk");
        }

        foreach (var argument in new[]
        {
            "-t", threads.ToString(CultureInfo.InvariantCulture),
            "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "10s",
            "-s", scriptPath,
            url.ToString(),
        })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["BENCH_KIND"] = kind;
        info.Environment["BENCH_TOKEN"] = token;
        info.Environment["BENCH_SESSION"] = session ?? string.Empty;
        info.Environment["BENCH_PROTOCOL"] = protocol;
        info.Environment["BENCH_DELAY_MS"] = delayMs.ToString(CultureInfo.InvariantCulture);
        info.Environment["BENCH_UNIQUE_IDS"] = uniqueIds ? "1" : "0";

        using var process = Process.Start(info) ?? throw new BenchException("could not start wrk");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new BenchException($"wrk exited with {process.ExitCode} for {url}:\n{output}\n{await stderr}");
        }

        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                return JsonSerializer.Deserialize(line.AsSpan(Marker.Length), BenchJson.Default.WrkResult)
                    ?? throw new BenchException("wrk printed an empty result");
            }
        }

        throw new BenchException($"wrk printed no result line for {url}:\n{output}\n{await stderr}");
    }
}
