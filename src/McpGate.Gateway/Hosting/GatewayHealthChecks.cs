using System.Text.Json;
using McpGate.Audit;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Stdio;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Hosting;

/// <summary>
/// <c>/healthz</c> (liveness: the process answers) and <c>/readyz</c> (readiness) on ASP.NET Core Health Checks. The
/// readiness rule: a failing audit sink makes the gate unready (503), because it can no longer record what it
/// decides; so does having no reachable upstream at all (still warming up, or cut off). One unreachable upstream
/// only degrades the gate (200, <c>"status": "degraded"</c>): the other routes still work, and taking the whole gate
/// out of a load balancer's rotation would take them down too. The body keeps the shape gateway.md documents.
/// </summary>
internal static class GatewayHealthChecks
{
    public const string ReadinessTag = "ready";

    private static readonly HttpMethodMetadata s_getOrHead = new([HttpMethods.Get, HttpMethods.Head]);

    private static readonly JsonWriterOptions s_indented = new() { Indented = true };

    public static IServiceCollection AddGatewayHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<AuditSinkHealthCheck>("audit", tags: [ReadinessTag])
            .AddCheck<UpstreamsHealthCheck>("upstreams", tags: [ReadinessTag]);

        // A load balancer polls every few seconds: the service's own per-poll warnings would repeat what the gate has
        // already logged once (an upstream's discovery failure, the audit sink's failure).
        services.AddLogging(logging => logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        return services;
    }

    public static IEndpointRouteBuilder MapGatewayHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            // Liveness runs no check: a gate that answers is alive, whatever its upstreams do.
            Predicate = static _ => false,
            ResponseWriter = static (context, _) =>
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                return context.Response.WriteAsync("ok\n");
            },
        }).WithMetadata(s_getOrHead);
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = static check => check.Tags.Contains(ReadinessTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReadinessAsync,
        }).WithMetadata(s_getOrHead);
        return endpoints;
    }

    private static async Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        var services = context.RequestServices;
        var store = services.GetRequiredService<GateStateStore>();
        var health = services.GetRequiredService<UpstreamHealth>();
        var audit = services.GetRequiredService<IAuditHealth>();
        var stdio = services.GetRequiredService<StdioUpstreams>();
        var state = store.Current;

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_indented))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("upstreams");
            foreach (var (alias, upstream) in state.Config.Servers)
            {
                writer.WriteStartObject(alias);
                if (upstream.Url is null)
                {
                    WriteStdio(writer, stdio.Peek(alias), health.Get(alias));
                }
                else if (health.Get(alias) is { } status)
                {
                    writer.WriteBoolean("reachable", status.Reachable);
                    writer.WriteNumber("tools", status.Tools);
                    writer.WriteString("last_checked", Timestamp(status.LastChecked));
                    WriteNullable(writer, "last_error", status.LastError);
                }
                else
                {
                    writer.WriteNull("reachable");
                    writer.WriteNumber("tools", 0);
                    writer.WriteNull("last_checked");
                    writer.WriteNull("last_error");
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("policy");
            writer.WriteString("path", Path.GetFullPath(state.Config.SourcePath));
            writer.WriteString("schema", state.Config.Evaluator.Schema);
            writer.WriteNumber("revision", state.Revision);
            writer.WriteString("loaded_at", Timestamp(state.LoadedAt));
            writer.WriteNumber("refused_reloads", store.RefusedReloads);
            writer.WriteEndObject();
            writer.WriteStartObject("audit");
            writer.WriteString("destination", audit.Destination);
            writer.WriteNumber("failures", audit.FailureCount);
            writer.WriteBoolean("failing", audit.IsFailing);
            WriteNullable(writer, "last_failure_at", audit.LastFailureAt is { } lastFailure ? Timestamp(lastFailure) : null);
            writer.WriteEndObject();
            if (report.Entries.TryGetValue(RedisHealthCheck.Name, out var redis))
            {
                writer.WriteStartObject("redis");
                writer.WriteBoolean("reachable", redis.Status == HealthStatus.Healthy);
                WriteNullable(writer, "last_error", redis.Exception?.Message);
                WriteNullable(writer, "description", redis.Description);
                writer.WriteEndObject();
            }

            writer.WriteString("status", report.Status switch
            {
                HealthStatus.Healthy => "healthy",
                HealthStatus.Degraded => "degraded",
                _ => "unhealthy",
            });
            writer.WriteBoolean("ready", report.Status != HealthStatus.Unhealthy);
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    /// <summary>A stdio upstream: the fields every upstream has, then its processes (docs/stdio.md, "Lifecycle").</summary>
    private static void WriteStdio(Utf8JsonWriter writer, StdioUpstream? running, UpstreamStatus? discovered)
    {
        var reachable = StdioReachable(running);
        writer.WriteBoolean("reachable", reachable);
        writer.WriteNumber("tools", discovered?.Tools ?? 0);
        WriteNullable(writer, "last_checked", discovered is null ? null : Timestamp(discovered.LastChecked));
        WriteNullable(writer, "last_error", running?.LastError ?? discovered?.LastError);
        writer.WriteString("transport", "stdio");
        writer.WriteString("sharing", running?.Settings.Sharing == McpGate.Configuration.StdioSharing.PerSession ? "per-session" : "shared");
        writer.WriteNumber("processes", running?.RunningProcesses ?? 0);
        writer.WriteNumber("sessions", running?.SessionCount ?? 0);
        writer.WriteNumber("restarts", running?.Restarts ?? 0);
    }

    /// <summary>A stdio upstream not started yet, or whose last start worked, can serve: it starts on demand.</summary>
    internal static bool StdioReachable(StdioUpstream? upstream) => upstream is null || upstream.LastError is null || upstream.RunningProcesses > 0;

    private static string Timestamp(DateTimeOffset value) => AuditTimestamp.ToText(value);

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}

/// <summary>Unhealthy while the most recent audit write failed: the gate still denies correctly but cannot record it.</summary>
internal sealed class AuditSinkHealthCheck(IAuditHealth audit) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(audit.IsFailing
            ? HealthCheckResult.Unhealthy($"the audit sink ({audit.Destination}) is failing")
            : HealthCheckResult.Healthy());
}

/// <summary>
/// Degraded while some url upstream is unreachable or not checked yet, or a stdio upstream's process failed; unhealthy
/// only when none is reachable, since then no route can work. A stdio upstream not started yet counts as reachable.
/// </summary>
internal sealed class UpstreamsHealthCheck(GateStateStore store, UpstreamHealth health, StdioUpstreams stdio) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int proxied = 0, reachable = 0;
        List<string>? down = null;
        foreach (var (alias, upstream) in store.Current.Config.Servers)
        {
            proxied++;
            if (upstream.Url is null ? GatewayHealthChecks.StdioReachable(stdio.Peek(alias)) : health.Get(alias) is { Reachable: true })
            {
                reachable++;
            }
            else
            {
                (down ??= []).Add(alias);
            }
        }

        var result = down is null ? HealthCheckResult.Healthy()
            : reachable == 0 ? HealthCheckResult.Unhealthy($"no upstream is reachable ({proxied} configured)")
            : HealthCheckResult.Degraded($"unreachable or not yet checked: {string.Join(", ", down)}");
        return Task.FromResult(result);
    }
}
