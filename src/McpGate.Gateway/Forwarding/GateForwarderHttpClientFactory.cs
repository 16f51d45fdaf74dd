using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace McpGate.Gateway.Forwarding;

/// <summary>
/// YARP's client for every cluster, with the gateway's connect timeout and <see cref="InspectedBodyHandler"/> in
/// front of the connection pool.
/// </summary>
internal sealed class GateForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, TimeSpan connectTimeout)
    : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = connectTimeout;
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
        => new InspectedBodyHandler(base.WrapHandler(context, handler));
}
