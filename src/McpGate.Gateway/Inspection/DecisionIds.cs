using System.Security.Cryptography;

namespace McpGate.Gateway.Inspection;

/// <summary>
/// Decision ids: UUIDv7-shaped (RFC 9562) and written as 32 hex digits, so they sort by time and grepping an audit
/// file by one also finds its neighbours. The bits after the timestamp only have to be unique, not unpredictable:
/// they are a process-wide counter started at a random value, with 12 random bits fixed per process, so an id costs
/// an increment and no call into the operating system's random source (<see cref="Guid.CreateVersion7()"/> makes
/// one per id, a measurable share of a proxied call).
/// </summary>
internal static class DecisionIds
{
    private const ulong Version7 = 0x7000;
    private const ulong VariantRfc9562 = 0x8000_0000_0000_0000;
    private const ulong CounterMask = 0x3FFF_FFFF_FFFF_FFFF;

    private static readonly ulong s_randomA = (ulong)RandomNumberGenerator.GetInt32(0x1000);
    private static long s_counter = (long)(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) & CounterMask) >> 1;

    public static string New() => New(TimeProvider.System.GetUtcNow());

    internal static string New(DateTimeOffset now)
    {
        // 48 bits of Unix milliseconds, the version, 12 random bits; then the variant and 62 bits of the counter.
        var milliseconds = (ulong)now.ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFF;
        var high = (milliseconds << 16) | Version7 | s_randomA;
        var low = VariantRfc9562 | ((ulong)Interlocked.Increment(ref s_counter) & CounterMask);
        return string.Create(32, (high, low), static (chars, halves) =>
        {
            halves.high.TryFormat(chars, out _, "x16", provider: null);
            halves.low.TryFormat(chars[16..], out _, "x16", provider: null);
        });
    }
}
