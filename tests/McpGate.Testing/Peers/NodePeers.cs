using System.Diagnostics;

namespace McpGate.Testing;

/// <summary>
/// The official TypeScript SDK's side of the tests: tests/clients/typescript (a client script and an upstream server),
/// installed by the tests themselves from its committed lock file, so a fresh machine needs only node and npm.
/// </summary>
public static class NodePeers
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    // A package of each kind the scripts import: a checkout with an older node_modules installs again.
    private static readonly string[] s_installedMarkers = [Path.Combine("@modelcontextprotocol", "sdk"), "compression"];

    public static string TypeScriptDirectory { get; } = Path.Combine(RepositoryFiles.Root, "tests", "clients", "typescript");

    /// <summary>tests/peers/stdio: real third-party stdio MCP servers (and supergateway), from its own lock file.</summary>
    public static string StdioPeersDirectory { get; } = Path.Combine(RepositoryFiles.Root, "tests", "peers", "stdio");

    public static Task EnsureInstalledAsync() => EnsureInstalledAsync(TypeScriptDirectory, s_installedMarkers);

    /// <summary>
    /// Runs <c>npm ci</c> in <paramref name="directory"/> (a folder with a package.json and its committed lock file)
    /// unless every package named in <paramref name="markers"/> is installed there already.
    /// </summary>
    public static async Task EnsureInstalledAsync(string directory, params string[] markers)
    {
        await s_install.WaitAsync();
        try
        {
            var modules = Path.Combine(directory, "node_modules");
            if (markers.All(marker => Directory.Exists(Path.Combine(modules, marker))))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var npm = Process.Start(start)!;
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci must install the packages of {directory}:\n" + await stdout + await stderr);
            }
        }
        finally
        {
            s_install.Release();
        }
    }

    /// <summary>Runs <c>node</c> with <paramref name="arguments"/> in the TypeScript directory and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunNodeAsync(string arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = TypeScriptDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException)
        {
            node.Kill(entireProcessTree: true);

            // What it printed before it hung says where it hung.
            throw new TimeoutException($"node {arguments} did not finish in time:\n{await stdout}{await stderr}");
        }

        return (node.ExitCode, await stdout, await stderr);
    }
}
