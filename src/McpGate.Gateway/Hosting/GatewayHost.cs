namespace McpGate.Gateway.Hosting;

/// <summary>The single composition root of the gateway, used by <c>mcp serve</c> and the tests alike.</summary>
public static class GatewayHost
{
    /// <summary>Runs the gate until <paramref name="cancellationToken"/> fires; returns the process exit code
    /// (0 after a graceful drain, 2 for a bad config or listen address).</summary>
    public static Task<int> RunAsync(GatewayRunOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        => throw new NotImplementedException();
}
