using System.Net;
using System.Net.Sockets;

namespace McpGate.Testing;

/// <summary>Addresses on 127.0.0.1 where nothing listens: connecting is refused.</summary>
public static class UnusedLoopback
{
    /// <summary>A port that was free a moment ago (bound, read, released).</summary>
    public static int Port()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    public static Uri McpUrl() => new($"http://127.0.0.1:{Port()}/mcp");
}
