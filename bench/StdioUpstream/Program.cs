using System.Globalization;
using System.IO.Pipelines;
using McpGate.Bench;
using McpGate.Bench.StdioUpstream;

// Usage: StdioUpstream [--tools 200]
// An MCP server on stdin/stdout (one JSON-RPC message per line) answering from canned bytes (see LineResponder).
var tools = 200;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--tools" && i + 1 < args.Length)
    {
        tools = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else
    {
        await Console.Error.WriteLineAsync($"StdioUpstream: unknown argument '{args[i]}' (expected [--tools N])");
        return 2;
    }
}

var input = PipeReader.Create(Console.OpenStandardInput(), new StreamPipeReaderOptions(bufferSize: 64 * 1024));
var output = PipeWriter.Create(Console.OpenStandardOutput(), new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
await new LineResponder(CannedCatalog.Build(tools)).RunAsync(input, output);
return 0;
