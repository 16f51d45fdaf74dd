using System.Runtime.InteropServices;
using McpGate.SampleServer;
using McpGate.SampleServer.Files;

// Runs the four sample upstreams until Ctrl+C (or SIGTERM); with --stdio-files DIR, the stdio file server instead.
if (args is ["--stdio-files", var sandbox])
{
    return await SandboxFilesServer.RunAsync(sandbox);
}

int portBase;
try
{
    portBase = SampleUpstreams.ResolvePortBase(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("usage: McpGate.SampleServer [--port-base N]   (servers listen on N+1..N+4; default N=3100)\n       McpGate.SampleServer --stdio-files DIR   (a stdio MCP server: list_files, read_file, write_file in DIR)");
    return 2;
}

SampleUpstreams upstreams;
try
{
    upstreams = await SampleUpstreams.StartAsync(portBase);
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

await using (upstreams)
{
    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

    Console.WriteLine("Sample MCP servers (Streamable HTTP, protocol 2025-11-25 and 2026-07-28):");
    foreach (var server in upstreams.Servers)
    {
        Console.WriteLine($"  {server.Alias,-11} {server.McpUrl}");
    }

    Console.WriteLine("Press Ctrl+C to stop.");
    await stop.Task;
    Console.WriteLine("Stopping.");

    void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.TrySetResult();
    }
}

return 0;
