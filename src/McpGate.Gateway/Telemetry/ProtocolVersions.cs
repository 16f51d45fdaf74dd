namespace McpGate.Gateway.Telemetry;

/// <summary><c>mcp.protocol.version</c> as a label: the caller picks the header, so only a published revision is one.</summary>
internal static class ProtocolVersions
{
    private static readonly string[] s_published = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"];

    /// <summary>The published revision <paramref name="header"/> names, <c>_OTHER</c> for anything else, null when absent.</summary>
    public static string? Label(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        foreach (var version in s_published)
        {
            if (string.Equals(version, header, StringComparison.Ordinal))
            {
                return version;
            }
        }

        return GateTelemetryNames.Other;
    }
}
