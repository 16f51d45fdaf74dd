using System.Runtime.InteropServices;
using McpGate.SampleServer;

// Runs the four sample upstreams until Ctrl+C (or SIGTERM).
int portBase;
try
{
    portBase = SampleUpstreams.ResolvePortBase(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("usage: McpGate.SampleServer [--port-base N]   (servers listen on N+1..N+4; default N=3100)");
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
