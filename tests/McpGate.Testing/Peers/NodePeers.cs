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

            var npm = await ProcessRunner.RunAsync(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = directory }, TimeSpan.FromMinutes(5));
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci must install the packages of {directory}:\n" + npm.Output + npm.Error);
            }
        }
        finally
        {
            s_install.Release();
        }
    }

    /// <summary>
    /// Starts <c>node <paramref name="script"/></c> in <paramref name="directory"/> (its packages installed already)
    /// and returns once it prints <c>listening &lt;address&gt;</c>, as each node peer does when it is ready, with that address.
    /// </summary>
    public static async Task<(ServiceProcess Node, string Address)> StartListeningAsync(
        string directory, string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        const string Listening = "listening ";
        var address = string.Empty;
        var node = await ServiceProcess.StartAsync(
            script, Node(directory, script, environment), async started => address = (await started.WaitForLineAsync(Listening, TimeSpan.FromSeconds(30)))[Listening.Length..]);
        return (node, address);
    }

    /// <summary><see cref="StartListeningAsync"/> for <paramref name="script"/> of tests/clients/typescript, installed first.</summary>
    public static async Task<(ServiceProcess Node, string Address)> StartTypeScriptAsync(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        await EnsureInstalledAsync();
        return await StartListeningAsync(TypeScriptDirectory, script, environment);
    }

    /// <summary>Runs <c>node</c> with <paramref name="arguments"/> in the TypeScript directory and returns its exit code and output.</summary>
    public static async Task<McpRun> RunNodeAsync(string arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        return await ProcessRunner.RunAsync(Node(TypeScriptDirectory, arguments, environment), timeout ?? TimeSpan.FromMinutes(3));
    }

    private static ProcessStartInfo Node(string directory, string arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("node", arguments) { WorkingDirectory = directory };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
