using McpGate.Gateway.Stdio;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace McpGate.Gateway.Forwarding;

/// <summary>
/// YARP's client for every cluster, with the gateway's connect timeout and <see cref="InspectedBodyHandler"/> in
/// front of the connection pool; a stdio cluster's client is the in-process bridge instead (docs/stdio.md), and its
/// unused socket handler never opens a connection.
/// </summary>
internal sealed class GateForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, TimeSpan connectTimeout, StdioUpstreams stdio)
    : ForwarderHttpClientFactory(logger)
{
    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = connectTimeout;
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
        => context.NewMetadata?.ContainsKey(StdioAddresses.MetadataKey) == true
            ? stdio.CreateHandler()
            : new InspectedBodyHandler(base.WrapHandler(context, handler));

    // The old client of a cluster that became (or stopped being) stdio is not the right kind.
    protected override bool CanReuseOldClient(ForwarderHttpClientContext context)
        => base.CanReuseOldClient(context)
            && context.OldMetadata?.ContainsKey(StdioAddresses.MetadataKey) == context.NewMetadata?.ContainsKey(StdioAddresses.MetadataKey);
}
