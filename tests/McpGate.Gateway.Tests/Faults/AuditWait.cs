using System.Text.Json;
using McpGate.Gateway.Tests.Functional;

namespace McpGate.Gateway.Tests.Faults;

internal static class AuditWait
{
    /// <summary>
    /// The first audit line matching <paramref name="match"/>. An allowed call's line is written when the forward
    /// ends, which may be just after the caller has its answer, so this polls the file up to a deadline.
    /// </summary>
    public static async Task<JsonElement> ForLineAsync(RunningGate gate, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            foreach (var line in gate.AuditLines())
            {
                if (match(line))
                {
                    return line;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no matching audit line; the file holds:\n" + string.Join('\n', gate.AuditLines().Select(l => l.GetRawText())));
            }

            await Task.Delay(25);
        }
    }

    public static bool IsUpstreamErrorFor(JsonElement line, string tool) =>
        line.GetProperty("tool").GetString() == tool && line.GetProperty("result").GetString() == "upstream_error";
}
