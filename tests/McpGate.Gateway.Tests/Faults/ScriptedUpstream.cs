using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Tests.Faults;

/// <summary>
/// A misbehaving peer: Kestrel on a dynamic loopback port whose every answer is written by the test (invalid JSON, a
/// 500, an event stream cut off by a reset). Not an MCP server; the gate must cope with it anyway.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly int[] _requests;

    private ScriptedUpstream(WebApplication app, Uri mcpUrl, int[] requests)
    {
        _app = app;
        McpUrl = mcpUrl;
        _requests = requests;
    }

    public Uri McpUrl { get; }

    /// <summary>How many HTTP requests reached this peer.</summary>
    public int Requests => Volatile.Read(ref _requests[0]);

    public static async Task<ScriptedUpstream> StartAsync(Func<HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var requests = new int[1];
        app.Run(context =>
        {
            Interlocked.Increment(ref requests[0]);
            return answer(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ScriptedUpstream(app, new Uri(address.TrimEnd('/') + "/mcp"), requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
