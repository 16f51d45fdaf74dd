using System.Globalization;
using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

// Usage: BareYarp --port N --upstream http://127.0.0.1:M/mcp
// One route, /mcp/{alias}, forwarded to the upstream URL (path replaced by the URL's path, as McpGate does).
int? port = null;
Uri? upstream = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port":
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--upstream":
            upstream = new Uri(args[++i]);
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}' (expected --port N --upstream URL)");
            return 2;
    }
}

if (port is null || upstream is null)
{
    Console.Error.WriteLine("usage: BareYarp --port N --upstream URL");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, port.Value);
});

RouteConfig[] routes =
[
    new()
    {
        RouteId = "mcp",
        ClusterId = "upstream",
        Match = new RouteMatch { Path = "/mcp/{alias}" },
    },
];
ClusterConfig[] clusters =
[
    new()
    {
        ClusterId = "upstream",
        Destinations = new Dictionary<string, DestinationConfig>
        {
            ["upstream"] = new() { Address = upstream.GetLeftPart(UriPartial.Authority) + "/" },
        },
    },
];
var upstreamPath = upstream.AbsolutePath;
builder.Services.AddReverseProxy()
    .LoadFromMemory(routes, clusters)
    .AddTransforms(context => context.AddPathSet(upstreamPath));

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
return 0;
