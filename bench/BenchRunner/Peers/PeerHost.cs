using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace McpGate.Bench.Runner.Peers;

/// <summary>
/// What the gate variants talk to besides the upstream, served by the runner itself on one loopback port: the OAuth
/// gate's issuer (discovery and JWKS of <see cref="BenchIssuer"/>) and the traced gate's OTLP receiver
/// (<see cref="OtlpSink"/>).
/// </summary>
/// <remarks>
/// In the runner rather than in FastUpstream: the key that signs the bench's token is made, used and published in
/// one process (no private key crosses a process boundary or a file), the sink's counts are read without a round
/// trip, and FastUpstream stays the canned MCP server that "direct" measures. The issuer is hit only when the gate
/// first sees the token (and on an unknown kid), so where it runs does not show in the numbers; the sink is busy
/// only while the traced gate exports, on CPU 1 with wrk and FastUpstream, which in closed loop have room to spare
/// (the proxy's CPU 0 is the bottleneck).
/// </remarks>
internal sealed class PeerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _discoveryRequests;
    private int _jwksRequests;

    private PeerHost(WebApplication app, BenchIssuer issuer, OtlpSink sink)
    {
        _app = app;
        Issuer = issuer;
        Sink = sink;
    }

    public BenchIssuer Issuer { get; }

    public OtlpSink Sink { get; }

    /// <summary>The base URL: the issuer's <c>iss</c> and the OTLP endpoint (<c>/v1/traces</c>, <c>/v1/metrics</c>).</summary>
    public string Url => Issuer.Url;

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public static async Task<PeerHost> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 << 20;
            kestrel.Listen(IPAddress.Loopback, port);
        });

        var app = builder.Build();
        var host = new PeerHost(app, new BenchIssuer($"http://127.0.0.1:{port}"), new OtlpSink());
        var discovery = host.Issuer.Discovery();
        var jwks = host.Issuer.Jwks();
        app.MapGet(BenchIssuer.DiscoveryPath, context =>
        {
            Interlocked.Increment(ref host._discoveryRequests);
            return WriteJsonAsync(context, discovery);
        });
        app.MapGet(BenchIssuer.JwksPath, context =>
        {
            Interlocked.Increment(ref host._jwksRequests);
            return WriteJsonAsync(context, jwks);
        });
        app.MapPost(OtlpSink.TracesPath, context => host.Sink.ReceiveAsync(context, traces: true));
        app.MapPost(OtlpSink.MetricsPath, context => host.Sink.ReceiveAsync(context, traces: false));
        await app.StartAsync();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Issuer.Dispose();
    }

    private static Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
