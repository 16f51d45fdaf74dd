using System.Globalization;

namespace McpGate.Policy.RateLimits;

/// <summary>The <c>per</c> of a rate-limit rule: a whole number and a unit, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> ("30s", "1m").</summary>
public static class RateLimitWindows
{
    /// <summary>A day: longer windows would keep a subject's bucket for longer than a caller can reason about.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static bool TryParse(string text, out TimeSpan window)
    {
        window = default;
        if (text.Length < 2)
        {
            return false;
        }

        var unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        if (unit == TimeSpan.Zero
            || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0
            || count > Longest.Ticks / unit.Ticks)
        {
            return false;
        }

        window = unit * count;
        return true;
    }

    public static string Format(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerDay == 0 ? $"{window.Days}d"
        : window.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(int)window.TotalHours}h"
        : window.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(int)window.TotalMinutes}m"
        : $"{(int)window.TotalSeconds}s";
}
