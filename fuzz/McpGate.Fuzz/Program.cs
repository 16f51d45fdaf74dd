using McpGate.Fuzz.Targets;
using SharpFuzz;

namespace McpGate.Fuzz;

/// <summary>
/// <c>McpGate.Fuzz TARGET</c> runs TARGET under AFL++ (started by <c>fuzz/run.sh</c>);
/// <c>McpGate.Fuzz TARGET --replay FILE|DIR...</c> runs saved inputs in-process and reports each one, so a crash
/// AFL++ found can be reproduced and turned into a test. A broken invariant is an exception, which AFL++ records as a
/// crash.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Action<byte[]>> s_targets = new(StringComparer.Ordinal)
    {
        ["inspector"] = InspectorTarget.Run,
        ["listfilter"] = ListFilterTarget.Run,
        ["ssefilter"] = SseFilterTarget.Run,
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !s_targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: McpGate.Fuzz ({string.Join(" | ", s_targets.Keys)}) [--replay FILE|DIR...]");
            return 2;
        }

        if (args.Length > 1 && args[1] == "--replay")
        {
            return Replay(target, args[2..]);
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target(buffer.ToArray());
        });
        return 0;
    }

    private static int Replay(Action<byte[]> target, string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Where(f => !Path.GetFileName(f).StartsWith("README", StringComparison.Ordinal)) : [p]).Order(StringComparer.Ordinal).ToList();
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // Every failure of a replayed input is reported, whatever its type.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failed++;
                Console.WriteLine($"FAIL {file}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Console.WriteLine($"{files.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
