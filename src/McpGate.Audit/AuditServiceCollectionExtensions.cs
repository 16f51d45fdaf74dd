using McpGate.Audit.Writing;
using McpGate.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGate.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers the audit log: <see cref="IAuditLog"/> (what the gate writes to) and <see cref="IAuditHealth"/> (what
    /// <c>/readyz</c> reads), one <see cref="SerilogAuditLog"/> behind both. The container disposes it at shutdown,
    /// after in-flight requests have drained: it writes what is still queued, then closes the file.
    /// </summary>
    /// <param name="settings">The config's <c>gateway.audit</c>.</param>
    /// <param name="pathOverride"><c>mcp serve --audit-log</c>: a path pattern, a directory, or <c>-</c> for stdout;
    /// null or empty to use <paramref name="settings"/>.</param>
    /// <param name="configPath">The config file, named in the error when <c>gateway.audit.serilog</c> cannot be built.</param>
    /// <exception cref="ConfigLoadException"><c>gateway.audit.serilog</c> cannot be built: reported before the gate
    /// starts, not at its first request.</exception>
    public static IServiceCollection AddMcpGateAudit(this IServiceCollection services, AuditSettings settings, string? pathOverride, string configPath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);

        // Resolved now, against the working directory at startup, so a later directory change moves nothing.
        var destination = AuditDestination.Resolve(settings, pathOverride);
        var fanOut = AuditFanOut.Create(settings, configPath);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SerilogAuditLog(
            destination,
            fanOut,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SerilogAuditLog>>() ?? NullLogger<SerilogAuditLog>.Instance));
        services.TryAddSingleton<IAuditLog>(sp => sp.GetRequiredService<SerilogAuditLog>());
        services.TryAddSingleton<IAuditHealth>(sp => sp.GetRequiredService<SerilogAuditLog>());
        return services;
    }
}
