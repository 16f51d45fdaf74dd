using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Stdio;

/// <summary>The real stdio servers of tests/peers/stdio, and gate configs that front them.</summary>
internal static class StdioPeers
{
    public static Task EnsureInstalledAsync() => NodePeers.EnsureInstalledAsync(
        NodePeers.StdioPeersDirectory,
        Path.Combine("@modelcontextprotocol", "server-filesystem"),
        Path.Combine("@modelcontextprotocol", "server-memory"),
        Path.Combine("@modelcontextprotocol", "server-everything"),
        "supergateway");

    /// <summary>The entry script of an installed server package, e.g. "server-filesystem".</summary>
    public static string Script(string package) =>
        Path.Combine(NodePeers.StdioPeersDirectory, "node_modules", "@modelcontextprotocol", package, "dist", "index.js");

    /// <summary>
    /// One stdio upstream <c>files</c>; alice (dev) may do anything, bob (reader) may read. <paramref name="stdio"/> is
    /// the upstream's <c>stdio</c> block (JSON), or null; <paramref name="env"/> its <c>env</c>; <paramref name="gateway"/>
    /// the members of the <c>gateway</c> object (JSON), or none.
    /// </summary>
    public static string Config(
        string command, IEnumerable<string> args, string? stdio = null, IReadOnlyDictionary<string, string>? env = null, string gateway = "") => $$"""
    {
      "mcpServers": {
        "files": {
          "command": {{JsonSerializer.Serialize(command)}},
          "args": {{JsonSerializer.Serialize(args)}},
          "env": {{JsonSerializer.Serialize(env ?? new Dictionary<string, string>())}}
          {{(stdio is null ? "" : ", \"stdio\": " + stdio)}}
        }
      },
      "serverAuth": {
        "providers": ["bearer"],
        "bearer": {
          "tokens": {
            "{{GatePolicies.AliceToken}}": { "subject": "alice", "roles": ["dev"] },
            "{{GatePolicies.BobToken}}": { "subject": "bob", "roles": ["reader"] }
          }
        },
        "acl": {
          "default": "deny",
          "roles": {
            "dev": [ { "server": "*", "access": "*" } ],
            "reader": [ { "server": "files", "access": "read", "tools": ["*"] } ]
          }
        }
      },
      "gateway": { {{gateway}} }
    }
    """;

    public static string Filesystem(string root, string? stdio = null, IReadOnlyDictionary<string, string>? env = null) =>
        Config("node", [Script("server-filesystem"), root], stdio, env);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, looking every 50 ms, at most <paramref name="limit"/> (30 s unless
    /// given): a bound for a broken gate, not a guess at how fast a loaded machine is. True when it held.
    /// </summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
    }

    public static Task<ModelContextProtocol.Client.McpClient> ConnectAsync(RunningGate gate, string token, string? protocolVersion = null) =>
        TestMcpClient.ConnectAsync(gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
            ProtocolVersion = protocolVersion,
        });
}
