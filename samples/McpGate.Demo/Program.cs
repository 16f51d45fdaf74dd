using McpGate.Cli.Commands;
using McpGate.Gateway.Hosting;
using McpGate.SampleServer;

// dotnet run --project samples/McpGate.Demo
// Starts the four sample MCP servers on 127.0.0.1:3101-3104, then the gate on 127.0.0.1:8080 with
// servers.example.json, exactly as `mcp serve --config servers.example.json` would run it. The config's "files"
// upstream is a stdio server (the sample server's --stdio-files mode) over a sandbox folder made here: the gate starts
// it with `dotnet`, so the demo needs nothing but .NET.
var configPath = FindExampleConfig();
if (configPath is null)
{
    Console.Error.WriteLine("servers.example.json not found: run the demo from the McpGate repository.");
    return 2;
}

SampleUpstreams upstreams;
try
{
    upstreams = await SampleUpstreams.StartAsync();
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

await using (upstreams)
{
    Console.WriteLine("Sample MCP servers started:");
    foreach (var server in upstreams.Servers)
    {
        Console.WriteLine($"  {server.Alias,-11} {server.McpUrl}");
    }

    var sandbox = CreateSandbox();
    // servers.example.json reads these (${VAR:-default}): the sample server's dll built next to the demo, and the sandbox.
    Environment.SetEnvironmentVariable("MCPGATE_DEMO_FILES_SERVER", Path.Combine(AppContext.BaseDirectory, "McpGate.SampleServer.dll"));
    Environment.SetEnvironmentVariable("MCPGATE_DEMO_SANDBOX", sandbox);
    Console.WriteLine($"  {"files",-11} stdio: dotnet McpGate.SampleServer.dll --stdio-files {sandbox} (started on first use)");

    Console.WriteLine();
    var options = new GatewayRunOptions { ConfigPath = configPath };
    return await ServeCommand.RunAsync(options, Console.Out, Console.Error, WriteTipsAsync, CancellationToken.None);
}

static async Task WriteTipsAsync(TextWriter output, string address)
{
    const string Json = "-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'";
    await output.WriteLineAsync($$$$"""

        Demo tokens (servers.example.json stores only their SHA-256):
          alice-demo-token (dev)   bob-demo-token (readonly)   charlie-demo-token (readonly, no-prod)   admin-demo-token (admin)

        See the gate at work (tools/list filtered per caller, a read allowed, writes refused before the upstream runs):
          samples/try-demo.sh

        A stdio upstream behind the same gate: bob reads a file of the sandbox, and may not write one:
          the files part of samples/try-demo.sh, or Inspector URL {{{{address}}}}/mcp/files

        A denial needs nothing but curl -- the gate answers it itself:
          curl -s {{{{address}}}}/mcp/grafana -H 'Authorization: Bearer bob-demo-token' {{{{Json}}}} \
            -d '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"update_dashboard","arguments":{"uid":"ops"}}}'

        The MCP Inspector: npx @modelcontextprotocol/inspector
          Transport "Streamable HTTP", URL {{{{address}}}}/mcp/github, header Authorization: Bearer alice-demo-token

        Ask the policy from a terminal (no gate needed, same evaluator):
          dotnet run --project src/McpGate.Cli -- acl check --config servers.example.json --subject alice --server grafana --tool query_prometheus
          dotnet run --project src/McpGate.Cli -- acl check --config servers.example.json --subject bob --server databricks --tool execute_sql

        Every decision is in the audit log:  tail -f audit/mcpgate-*.jsonl
        Press Ctrl+C to stop.
        """);
}

// A fresh folder per run with one file to read, so "bob could not write" is visible as a file that is not there.
static string CreateSandbox()
{
    var sandbox = Path.Combine(Path.GetTempPath(), "mcpgate-demo-sandbox");
    if (Directory.Exists(sandbox))
    {
        Directory.Delete(sandbox, recursive: true);
    }

    Directory.CreateDirectory(sandbox);
    File.WriteAllText(Path.Combine(sandbox, "hello.txt"), "Hello from the stdio sandbox: readers may read me, only writers may add files.\n");
    return sandbox;
}

static string? FindExampleConfig()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "servers.example.json");
            if (File.Exists(candidate))
            {
                return Path.GetRelativePath(Directory.GetCurrentDirectory(), candidate);
            }
        }
    }

    return null;
}
