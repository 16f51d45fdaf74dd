using McpGate.Testing;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// Built <c>mcp serve</c> processes on one config, started at once as a Deployment's pods are: each on its own
/// loopback port, with its own audit file and <c>MCPGATE_INSTANCE</c> (r1, r2, …). Killed on dispose.
/// </summary>
internal sealed class ServeReplicas : IAsyncDisposable
{
    private readonly List<(RunningMcp Process, int Port)> _replicas = [];

    public IReadOnlyList<(RunningMcp Process, int Port)> All => _replicas;

    public static Uri McpUrl(int port) => new($"http://127.0.0.1:{port}/mcp/files");

    /// <summary>Returns once every replica listens.</summary>
    public static async Task<ServeReplicas> StartAsync(TempDirectory directory, string configPath, int count = 3)
    {
        var replicas = new ServeReplicas();
        var starting = new List<Task>();
        for (var i = 1; i <= count; i++)
        {
            var port = UnusedLoopback.Port();
            var process = McpProcess.Start(
                directory.Path,
                ["serve", "--config", configPath, "--listen", $"127.0.0.1:{port}", "--audit-log", directory.Combine("audit", $"mcpgate-r{i}-.jsonl")],
                new Dictionary<string, string> { ["MCPGATE_INSTANCE"] = $"r{i}" });
            replicas._replicas.Add((process, port));
            starting.Add(process.WaitForOutputLineAsync(line => line.StartsWith("McpGate listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(90)));
        }

        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            await replicas.DisposeAsync();
            throw;
        }

        return replicas;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (process, _) in _replicas)
        {
            await process.DisposeAsync();
        }
    }
}
