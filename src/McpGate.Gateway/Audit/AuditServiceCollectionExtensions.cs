using McpGate.Policy.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGate.Gateway.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers the audit log: <c>IAuditLog</c> (what the gate writes to) and <c>IAuditHealth</c> (what
    /// <c>/readyz</c> reads), one <see cref="SerilogAuditLog"/> behind both. The container disposes it at shutdown,
    /// after in-flight requests have drained: it writes what is still queued, then closes the file.
    /// </summary>
    /// <param name="settings">The config's <c>gateway.audit</c>.</param>
    /// <param name="pathOverride"><c>mcp serve --audit-log</c>: a path pattern, a directory, or <c>-</c> for stdout;
    /// null or empty to use <paramref name="settings"/>.</param>
    public static IServiceCollection AddMcpGateAudit(this IServiceCollection services, AuditSettings settings, string? pathOverride)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);

        // Resolved now, against the working directory at startup, so a later directory change moves nothing.
        var destination = AuditDestination.Resolve(settings, pathOverride);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SerilogAuditLog(
            destination,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SerilogAuditLog>>() ?? NullLogger<SerilogAuditLog>.Instance));
        services.TryAddSingleton<IAuditLog>(sp => sp.GetRequiredService<SerilogAuditLog>());
        services.TryAddSingleton<IAuditHealth>(sp => sp.GetRequiredService<SerilogAuditLog>());
        return services;
    }
}
