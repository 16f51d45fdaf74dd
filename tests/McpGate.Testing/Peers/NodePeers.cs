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

    public static async Task EnsureInstalledAsync()
    {
        await s_install.WaitAsync();
        try
        {
            var modules = Path.Combine(TypeScriptDirectory, "node_modules");
            if (s_installedMarkers.All(marker => Directory.Exists(Path.Combine(modules, marker))))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
            {
                WorkingDirectory = TypeScriptDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var npm = Process.Start(start)!;
            var stdout = npm.StandardOutput.ReadToEndAsync();
            var stderr = npm.StandardError.ReadToEndAsync();
            await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci must install the TypeScript SDK:\n" + await stdout + await stderr);
            }
        }
        finally
        {
            s_install.Release();
        }
    }
}
