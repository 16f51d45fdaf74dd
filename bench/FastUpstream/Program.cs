using System.Net;
using McpGate.Bench;
using McpGate.Bench.FastUpstream;

// Usage: FastUpstream --port N [--tools 200] [--sse]
// Answers every POST path as an MCP Streamable HTTP endpoint with canned bodies (see McpResponder).
var options = UpstreamOptions.Parse(args);
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(IPAddress.Loopback, options.Port);
});

var app = builder.Build();
var responder = new McpResponder(CannedCatalog.Build(options.ToolCount), options.Sse);
app.Run(responder.HandleAsync);
await app.RunAsync();
