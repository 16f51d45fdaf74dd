using System.Globalization;

namespace McpGate.Audit;

/// <summary>
/// The one timestamp format of everything McpGate prints for machines: the audit line's <c>ts</c>, <c>/readyz</c>'s
/// times, <c>mcp audit alerts</c>' report. UTC, millisecond precision, e.g. <c>2025-03-04T12:00:00.000Z</c>.
/// </summary>
public static class AuditTimestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
