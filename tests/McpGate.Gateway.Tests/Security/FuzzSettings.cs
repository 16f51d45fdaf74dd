using System.Globalization;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// How long the property tests run. The defaults keep <c>dotnet test</c> short; <c>fuzz/run-property.sh</c> (or the
/// variables below) turns the same tests into the long run:
/// <list type="bullet">
/// <item><c>MCPGATE_FUZZ_REQUESTS</c>: requests sent through the running gate (default 1,500).</item>
/// <item><c>MCPGATE_FUZZ_SECONDS</c>: send requests through the gate for this long instead (the count is printed).</item>
/// <item><c>MCPGATE_FUZZ_BODIES</c>: bodies checked in-process against the inspector (default 20,000).</item>
/// <item><c>MCPGATE_FUZZ_SEED</c>: the CsCheck seed to start from, as printed by a failing run.</item>
/// <item><c>MCPGATE_FUZZ_THREADS</c>: concurrent senders (default 2).</item>
/// </list>
/// </summary>
internal static class FuzzSettings
{
    public static long Requests => Long("MCPGATE_FUZZ_REQUESTS", 1_500);

    public static long Bodies => Long("MCPGATE_FUZZ_BODIES", 20_000);

    /// <summary>-1 (no time limit) unless <c>MCPGATE_FUZZ_SECONDS</c> is set.</summary>
    public static int Seconds => (int)Long("MCPGATE_FUZZ_SECONDS", -1);

    public static int Threads => (int)Long("MCPGATE_FUZZ_THREADS", 2);

    /// <summary>The seed to replay, or null for a fresh random one (CsCheck prints it on failure).</summary>
    public static string? Seed => Environment.GetEnvironmentVariable("MCPGATE_FUZZ_SEED") is { Length: > 0 } seed ? seed : null;

    private static long Long(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
