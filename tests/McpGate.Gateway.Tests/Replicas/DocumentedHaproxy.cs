using System.Text.RegularExpressions;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Replicas;

/// <summary>
/// A real HAProxy run with deploy/haproxy/haproxy.cfg, the configuration docs/deploy.md tells operators to use, as it
/// is in the repository: the test fills in only the addresses the file takes from the environment (its own loopback
/// port and the replicas'), so the docs and what is tested cannot drift apart.
/// </summary>
internal static partial class DocumentedHaproxy
{
    public static string ConfigPath { get; } = Path.Combine(RepositoryFiles.Root, "deploy", "haproxy", "haproxy.cfg");

    public static async Task<HaproxyServer> StartAsync(IReadOnlyList<int> replicaPorts)
    {
        var port = UnusedLoopback.Port();
        var addresses = new Dictionary<string, string> { ["MCPGATE_LB_BIND"] = $"127.0.0.1:{port}" };
        for (var i = 0; i < replicaPorts.Count; i++)
        {
            addresses[$"MCPGATE_REPLICA_{i + 1}"] = $"127.0.0.1:{replicaPorts[i]}";
        }

        // HAProxy's own "${NAME}" / "${NAME-default}" expansion (configuration manual, 2.3), done here so that the
        // test's addresses need no change to the shared service-process helper's environment.
        var config = Variable().Replace(File.ReadAllText(ConfigPath), match =>
            addresses.TryGetValue(match.Groups["name"].Value, out var value) ? value
            : match.Groups["default"].Success ? match.Groups["default"].Value
            : throw new InvalidOperationException($"{ConfigPath} uses ${{{match.Groups["name"].Value}}}, which the test does not set"));

        return await HaproxyServer.StartAsync(config, port);
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
