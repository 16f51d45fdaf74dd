using System.Text.Json;
using McpGate.Bench.Runner;

// BenchRunner load   --mode quick|default|soak --repo DIR --configuration Release --results DIR
// BenchRunner report --repo DIR --results DIR --command "bench/run.sh ..." [--micro FILE] [--load FILE] [--write-docs]
// Exit codes: 0 ok (targets missed are reported, not failed), 1 the bench itself failed, 2 usage.
var parsed = Arguments.Parse(args);
if (parsed is null)
{
    Console.Error.WriteLine("usage: BenchRunner load --mode quick|default|soak --repo DIR --configuration C --results DIR");
    Console.Error.WriteLine("       BenchRunner report --repo DIR --results DIR --command TEXT [--micro FILE] [--load FILE] [--write-docs]");
    return 2;
}

try
{
    Directory.CreateDirectory(parsed.Results);
    if (parsed.Command == "load")
    {
        var options = LoadOptions.ForMode(parsed.Mode, parsed.Repo, parsed.Configuration, parsed.Results);
        var results = await new LoadBench(options, Console.Out).RunAsync();
        var path = Path.Combine(parsed.Results, parsed.Mode == "soak" ? "load-soak.json" : "load.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, BenchJson.Default.LoadResults));
        Console.WriteLine($"wrote {path}");
        return 0;
    }

    MicroResults? micro = null;
    if (parsed.Micro is not null && File.Exists(parsed.Micro))
    {
        micro = JsonSerializer.Deserialize(await File.ReadAllTextAsync(parsed.Micro), BenchJson.Default.MicroResults);
    }

    LoadResults? load = null;
    if (parsed.Load is not null && File.Exists(parsed.Load))
    {
        load = JsonSerializer.Deserialize(await File.ReadAllTextAsync(parsed.Load), BenchJson.Default.LoadResults);
    }

    var summary = Report.Build(Machine.Describe(parsed.Repo), parsed.Text, parsed.Mode, micro, load);
    var summaryPath = Path.Combine(parsed.Results, "summary.json");
    await File.WriteAllTextAsync(summaryPath, JsonSerializer.Serialize(summary, BenchJson.Default.Summary));
    var markdown = Report.Render(summary);
    Console.WriteLine();
    Console.WriteLine(markdown);
    Console.WriteLine($"wrote {summaryPath}");
    if (parsed.WriteDocs)
    {
        var doc = Path.Combine(parsed.Repo, "docs", "performance.md");
        Report.WriteDocs(doc, parsed.Mode, markdown);
        Console.WriteLine($"rewrote the generated section of {doc}");
    }

    return 0;
}
catch (BenchException e)
{
    Console.Error.WriteLine($"bench failed: {e.Message}");
    return 1;
}
catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or UnauthorizedAccessException or System.Text.Json.JsonException)
{
    // Caught (not left unhandled) so that the finally blocks stop every server this run started.
    Console.Error.WriteLine($"bench failed: {e}");
    return 1;
}

internal sealed record Arguments(
    string Command, string Mode, string Repo, string Configuration, string Results, string Text,
    string? Micro, string? Load, bool WriteDocs)
{
    public static Arguments? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("load" or "report"))
        {
            return null;
        }

        var values = new Dictionary<string, string>();
        var writeDocs = false;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--write-docs")
            {
                writeDocs = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                return null;
            }
        }

        if (!values.TryGetValue("repo", out var repo) || !values.TryGetValue("results", out var results))
        {
            return null;
        }

        var mode = values.GetValueOrDefault("mode", "default");
        if (mode is not ("quick" or "default" or "soak"))
        {
            return null;
        }

        return new Arguments(
            args[0], mode, Path.GetFullPath(repo), values.GetValueOrDefault("configuration", "Release"),
            Path.GetFullPath(results), values.GetValueOrDefault("command", "bench/run.sh"),
            values.GetValueOrDefault("micro"), values.GetValueOrDefault("load"), writeDocs);
    }
}
