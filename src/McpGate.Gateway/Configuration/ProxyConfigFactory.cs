using McpGate.Configuration;
using McpGate.Gateway.Stdio;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace McpGate.Gateway.Configuration;

/// <summary>
/// Turns <c>mcpServers</c> into YARP routes and clusters: one route <c>/mcp/{alias}</c> per upstream. A stdio upstream's
/// cluster points at <see cref="StdioAddresses"/> and is marked in its metadata, so its client is the in-process bridge
/// (<see cref="Forwarding.GateForwarderHttpClientFactory"/>) and the route is like any other.
/// </summary>
internal static class ProxyConfigFactory
{
    /// <summary>Route metadata key carrying the upstream alias into the proxy pipeline.</summary>
    public const string AliasMetadataKey = "McpGate.Alias";

    public const string RoutePrefix = "/mcp/";

    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Create(GateConfig config)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var (alias, upstream) in config.Servers)
        {
            var clusterId = "upstream-" + alias;
            routes.Add(new RouteConfig
            {
                RouteId = "mcp-" + alias,
                ClusterId = clusterId,
                Match = new RouteMatch { Path = RoutePrefix + alias, Methods = ["POST", "GET", "DELETE"] },
                Metadata = new Dictionary<string, string> { [AliasMetadataKey] = alias },
                // Forward to the upstream's own MCP path: the destination address carries it, the route path is dropped.
                Transforms = [new Dictionary<string, string> { ["PathRemovePrefix"] = RoutePrefix + alias }],
            });
            clusters.Add(new ClusterConfig
            {
                ClusterId = clusterId,
                Destinations = new Dictionary<string, DestinationConfig>
                {
                    ["upstream"] = new() { Address = (upstream.Url ?? StdioAddresses.For(alias)).AbsoluteUri },
                },
                Metadata = upstream.Url is null ? new Dictionary<string, string> { [StdioAddresses.MetadataKey] = alias } : null,
                HttpRequest = new ForwarderRequestConfig
                {
                    // SSE streams (the GET listen stream, a long tools/call) may be quiet for a long time.
                    ActivityTimeout = config.Gateway.ActivityTimeout,
                    AllowResponseBuffering = false,
                },
            });
        }

        return (routes, clusters);
    }
}
