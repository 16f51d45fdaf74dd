using System.Globalization;
using System.Net;
using McpGate.Audit;
using McpGate.Gateway.Authentication;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Forwarding;
using McpGate.Gateway.Inspection;
using McpGate.Gateway.RateLimiting;
using McpGate.Gateway.Sessions;
using McpGate.Gateway.Stdio;
using McpGate.Gateway.Telemetry;
using McpGate.Mcp.Discovery;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace McpGate.Gateway.Hosting;

/// <summary>
/// The one composition root: <c>mcp serve</c>, the demo and the functional tests all build the gate here, so what
/// the tests exercise is what operators run.
/// </summary>
internal static class GatewayApplication
{
    public static WebApplication Build(GateConfig config, ListenAddress listen, string? auditPathOverride, GatewayLogFormat logFormat = GatewayLogFormat.Text, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "McpGate",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });

        // The audit log owns stdout when it writes there: diagnostics then go to stderr, keeping the JSONL stream pure.
        var auditOnStdout = AuditDestination.Resolve(config.Gateway.Audit, auditPathOverride).IsStdout;
        var diagnostics = CreateDiagnosticsLogger(logFormat, auditOnStdout);

        // Serilog writes; Microsoft.Extensions.Logging still decides what is enabled (the filters below), so a category
        // that is off costs a request nothing (hosting, for one, then starts no Activity and no scope per request).
        builder.Logging.ClearProviders();
        // As a plain provider: Serilog's AddSerilog would also add a Trace rule for its provider that overrides every
        // filter below (and hosting would then log, and trace, each request).
        builder.Logging.AddProvider(new SerilogLoggerProvider(diagnostics, dispose: true));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        // With this category off, hosting starts no Activity and pushes no logging scope per request (nor does the
        // upstream HttpClient start a child Activity) unless tracing listens, which only an OTLP endpoint turns on
        // (Telemetry/GateTelemetryExtensions); otherwise trace ids come from the caller's traceparent (TraceIds).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The gate enforces its own, reloadable cap while reading (docs/gateway.md, "What the gate does to each
            // request").
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
            if (listen.IsLocalhostName)
            {
                kestrel.ListenLocalhost(listen.Port);
            }
            else
            {
                kestrel.Listen(listen.Address, listen.Port);
            }
        });

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddMcpGate(config, listen, auditPathOverride);
        configure?.Invoke(builder);

        var app = builder.Build();

        // One line per request that failed on the gate's side (5xx: an upstream down, a crash); the audit log records
        // every call.
        app.UseMiddleware<FailedRequestLogging>();
        app.MapMcpGate();
        return app;
    }

    /// <summary>The diagnostics pipeline: the console in <paramref name="format"/>, on stderr when the audit log has
    /// stdout. Information and up, as Microsoft.Extensions.Logging's filters (see <see cref="Build"/>) narrow further
    /// per category.</summary>
    private static Serilog.Core.Logger CreateDiagnosticsLogger(GatewayLogFormat format, bool auditOnStdout)
    {
        var standardError = auditOnStdout ? LogEventLevel.Verbose : (LogEventLevel?)null;
        var configuration = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext();
        configuration = format == GatewayLogFormat.Json
            ? configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: standardError)
            : configuration.WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: standardError,
                formatProvider: CultureInfo.InvariantCulture);
        return configuration.CreateLogger();
    }

    public static IServiceCollection AddMcpGate(this IServiceCollection services, GateConfig config, ListenAddress listen, string? auditPathOverride)
    {
        var proxy = ProxyConfigFactory.Create(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new GatewayRuntime(listen.ToString(), listen.IsLoopback, GatewayRuntime.InstanceName(Environment.GetEnvironmentVariable)));
        services.AddSessionSealing(config.Gateway);
        services.AddSingleton<OAuthValidators>();
        if (config.Gateway.Redis is { } redis)
        {
            var redisOptions = RedisConnection.Parse(redis, config.SourcePath);
            services.AddSingleton<StackExchange.Redis.IConnectionMultiplexer>(_ => RedisConnection.Connect(redisOptions));
            services.AddSingleton<RedisRateLimits>();
            services.AddHealthChecks().AddCheck<RedisHealthCheck>(RedisHealthCheck.Name, HealthStatus.Degraded, [GatewayHealthChecks.ReadinessTag]);
        }

        services.AddSingleton<UpstreamHealth>();
        services.AddSingleton<ToolClassifier>();
        services.AddSingleton(_ => new ToolDiscoveryClient());
        services.AddSingleton(sp => new StdioUpstreams(
            alias => sp.GetRequiredService<GateStateStore>().Current.Config.Servers.GetValueOrDefault(alias),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<StdioUpstreams>>(),
            sp.GetRequiredService<StdioMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<StdioUpstreams>());
        services.AddSingleton<ToolCatalog>();
        services.AddSingleton<RequestDecider>();
        services.AddSingleton<BatchGate>();
        services.AddSingleton<GateRateLimiter>();
        services.AddSingleton<GateResponseTransform>();
        services.AddSingleton(sp =>
        {
            var store = new GateStateStore(config, sp.GetRequiredService<InMemoryConfigProvider>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GateStateStore>>());
            var metrics = sp.GetRequiredService<GateMetrics>();
            store.Reloaded += _ => metrics.ConfigReloaded(applied: true);
            store.ReloadRefused += _ => metrics.ConfigReloaded(applied: false);

            // A stdio server the reload removed or changed ends its children once their calls are done (docs/stdio.md).
            var stdio = sp.GetRequiredService<StdioUpstreams>();
            store.Reloaded += _ => stdio.Reconcile();
            return store;
        });
        services.AddHostedService(sp => sp.GetRequiredService<GateStateStore>());
        services.AddHostedService<CatalogWarmup>();
        services.AddGatewayHealthChecks();
        services.AddMcpGateAudit(config.Gateway.Audit, auditPathOverride, config.SourcePath);
        services.AddGateTelemetry(config, listen.IsLoopback);

        services.AddReverseProxy()
            .LoadFromMemory(proxy.Routes, proxy.Clusters)
            .AddTransforms(GateRequestTransform.Apply);
        services.AddSingleton<IForwarderHttpClientFactory>(sp => new GateForwarderHttpClientFactory(
            sp.GetRequiredService<ILogger<ForwarderHttpClientFactory>>(), config.Gateway.ConnectTimeout, sp.GetRequiredService<StdioUpstreams>()));
        return services;
    }

    public static WebApplication MapMcpGate(this WebApplication app)
    {
        app.MapGatewayEndpoints();
        app.MapGateTelemetry();
        app.MapReverseProxy(pipeline => pipeline.UseMiddleware<McpGateMiddleware>());
        return app;
    }
}
