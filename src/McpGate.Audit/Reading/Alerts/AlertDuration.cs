namespace McpGate.Audit.Reading.Alerts;

/// <summary>
/// Durations as people write them on a command line: a number and a unit, repeated — <c>90s</c>, <c>30m</c>,
/// <c>24h</c>, <c>7d</c>, <c>1w</c>, <c>1h30m</c>.
/// </summary>
public static class AlertDuration
{
    public const string Examples = "30m, 24h, 7d, 1h30m";

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var total = 0L;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && char.IsAsciiDigit(span[digits]))
            {
                digits++;
            }

            if (digits == 0 || digits == span.Length || digits > 9)
            {
                return false;
            }

            var amount = long.Parse(span[..digits], provider: System.Globalization.CultureInfo.InvariantCulture);
            long seconds = span[digits] switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                'w' => 604_800,
                _ => 0,
            };
            if (seconds == 0)
            {
                return false;
            }

            total += amount * seconds;
            span = span[(digits + 1)..];
        }

        // Ten years is far past any retention; a larger value is a typo, not a window.
        if (total <= 0 || total > 10L * 366 * 86_400)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(total);
        return true;
    }
}
