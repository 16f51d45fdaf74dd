using McpGate.Gateway.Audit;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Configuration;
using McpGate.Gateway.Forwarding;
using McpGate.Gateway.Inspection;
using McpGate.Gateway.RateLimiting;
using McpGate.Gateway.Sessions;
using McpGate.Mcp.Discovery;
using McpGate.Policy.Classification;
using McpGate.Policy.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace McpGate.Gateway.Hosting;

/// <summary>
/// The one composition root: <c>mcp serve</c>, the demo and the functional tests all build the gate here, so what
/// the tests exercise is what operators run.
/// </summary>
internal static class GatewayApplication
{
    public static WebApplication Build(GateConfig config, ListenAddress listen, string? auditPathOverride, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "McpGate",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        });
        if (AuditSettings.IsStdout(auditPathOverride ?? config.Gateway.Audit.Path))
        {
            // The audit log owns stdout: keep diagnostics out of the JSONL stream.
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);

        // With this category off, hosting starts no Activity and pushes no logging scope per request (nor does the
        // upstream HttpClient start a child Activity); trace ids come from the caller's traceparent instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The gate enforces its own, reloadable cap while reading (gateway.md §1.2 step 4).
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
        app.MapMcpGate();
        return app;
    }

    public static IServiceCollection AddMcpGate(this IServiceCollection services, GateConfig config, ListenAddress listen, string? auditPathOverride)
    {
        var proxy = ProxyConfigFactory.Create(config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new GatewayRuntime(listen.ToString(), listen.IsLoopback));
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<UpstreamHealth>();
        services.AddSingleton<ToolClassifier>();
        services.AddSingleton(_ => new ToolDiscoveryClient());
        services.AddSingleton<ToolCatalog>();
        services.AddSingleton<RequestDecider>();
        services.AddSingleton<GateRateLimiter>();
        services.AddSingleton<GateResponseTransform>();
        services.AddSingleton(sp => new GateStateStore(config, sp.GetRequiredService<InMemoryConfigProvider>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GateStateStore>>()));
        services.AddHostedService(sp => sp.GetRequiredService<GateStateStore>());
        services.AddHostedService<CatalogWarmup>();
        services.AddGatewayHealthChecks();
        services.AddMcpGateAudit(config.Gateway.Audit, auditPathOverride);

        services.AddReverseProxy()
            .LoadFromMemory(proxy.Routes, proxy.Clusters)
            .AddTransforms(GateRequestTransform.Apply);
        services.AddSingleton<IForwarderHttpClientFactory>(sp => new GateForwarderHttpClientFactory(
            sp.GetRequiredService<ILogger<ForwarderHttpClientFactory>>(), config.Gateway.ConnectTimeout));
        return services;
    }

    public static WebApplication MapMcpGate(this WebApplication app)
    {
        app.MapGatewayEndpoints();
        app.MapReverseProxy(pipeline => pipeline.UseMiddleware<McpGateMiddleware>());
        return app;
    }
}
