using System.Globalization;

namespace McpGate.Bench.FastUpstream;

internal sealed record UpstreamOptions(int Port, int ToolCount, bool Sse)
{
    public static UpstreamOptions Parse(string[] args)
    {
        var port = 0;
        var tools = 200;
        var sse = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port":
                    port = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--tools":
                    tools = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--sse":
                    sse = true;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}' (expected --port N [--tools N] [--sse])");
            }
        }

        if (port <= 0)
        {
            throw new ArgumentException("--port N is required");
        }

        return new UpstreamOptions(port, tools, sse);
    }
}
