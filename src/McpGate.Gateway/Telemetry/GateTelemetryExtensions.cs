using McpGate.Gateway.Configuration;
using McpGate.Gateway.Hosting;
using McpGate.Gateway.Inspection;
using System.Diagnostics.Metrics;
using McpGate.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace McpGate.Gateway.Telemetry;

/// <summary>
/// Wires the gate's meter and span source to OpenTelemetry (docs/observability.md): Prometheus <c>GET /metrics</c> per
/// <c>gateway.telemetry.prometheus</c>, OTLP metrics and traces when the standard <c>OTEL_EXPORTER_OTLP_*</c> endpoint
/// variables are set. With neither, OpenTelemetry is not registered at all: nothing listens, so the instruments stay
/// disabled and no request starts an Activity.
/// </summary>
internal static class GateTelemetryExtensions
{
    private static readonly string[] s_otlpEndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    public static IServiceCollection AddGateTelemetry(this IServiceCollection services, GateConfig config, bool loopbackOnly)
    {
        services.AddMetrics();
        services.AddSingleton<GateMetrics>();
        services.AddSingleton<StdioMetrics>();

        var prometheus = config.Gateway.Telemetry.ServesPrometheus(loopbackOnly);
        var otlp = Array.Exists(s_otlpEndpointVariables, static name => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name)));
        if (!prometheus && !otlp)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(static resource =>
        {
            // OTEL_SERVICE_NAME (read by the SDK's default detectors) names the gate when set; AddService would override it.
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
            {
                resource.AddService("mcpgate");
            }
        });

        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(GateTelemetryNames.Source);

            // Meters are matched by name, process-wide: this gate exports its own meter only, not another gate's in
            // the same process (tests run many; a host could embed two).
            ((IDeferredMeterProviderBuilder)metrics).Configure(static (services, builder) =>
            {
                var factory = services.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Name == GateTelemetryNames.Source && !ReferenceEquals(instrument.Meter.Scope, factory)
                    ? MetricStreamConfiguration.Drop
                    : null);
            });
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });

        if (otlp)
        {
            // Traces only when they have somewhere to go: a span nobody exports is pure cost on every request.
            telemetry.WithTracing(static tracing => tracing
                .AddSource(GateTelemetryNames.Source)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary><c>GET /metrics</c>, when <c>gateway.telemetry.prometheus</c> (or its loopback default) turned it on.</summary>
    public static WebApplication MapGateTelemetry(this WebApplication app)
    {
        var runtime = app.Services.GetRequiredService<GatewayRuntime>();
        var settings = app.Services.GetRequiredService<GateStateStore>().Current.Config.Gateway.Telemetry;
        if (settings.ServesPrometheus(runtime.LoopbackOnly))
        {
            app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch =>
                // The same DNS-rebinding defence as the MCP routes: a web page must not read the gate's metrics.
                branch.Use((context, next) =>
                {
                    if (RequestGuards.IsHostAllowed(context.Request, runtime.LoopbackOnly))
                    {
                        return next(context);
                    }

                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                }), optionsName: null);
        }

        return app;
    }
}
