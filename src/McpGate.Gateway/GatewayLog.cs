using Microsoft.Extensions.Logging;

namespace McpGate.Gateway;

/// <summary>The gateway's diagnostic log messages (not the audit trail). Event ids 2xx policy, 3xx tool catalog.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(200, LogLevel.Information, "Policy reloaded from {Path} ({Schema} ACL, {ServerCount} upstreams)", EventName = "PolicyReloaded")]
    public static partial void PolicyReloaded(this ILogger logger, string path, string schema, int serverCount);

    [LoggerMessage(201, LogLevel.Error, "Policy change refused; the last good policy stays in force.\n{Message}", EventName = "PolicyReloadRefused")]
    public static partial void PolicyReloadRefused(this ILogger logger, string message);

    [LoggerMessage(300, LogLevel.Warning, "Tool discovery for upstream '{Server}' failed: {Cause}", EventName = "DiscoveryFailed")]
    public static partial void DiscoveryFailed(this ILogger logger, string server, string cause);

    [LoggerMessage(301, LogLevel.Information, "Tool catalog of '{Server}' refreshed: {ToolCount} tools", EventName = "CatalogRefreshed")]
    public static partial void CatalogRefreshed(this ILogger logger, string server, int toolCount);
}
