using System.Text.Json;
using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary>A config whose only upstream is tests/peers/stdio/scripted-server.mjs, a real stdio MCP server (node, no packages).</summary>
internal static class StdioConfig
{
    public static string Scripted() => $$"""
        {
          "mcpServers": {
            "scripted": { "command": "node", "args": [{{JsonSerializer.Serialize(Path.Combine(NodePeers.StdioPeersDirectory, "scripted-server.mjs"))}}] },
          },
          "serverAuth": {
            "providers": [],
            "acl": {
              "default": "deny",
              "roles": { "reader": [ { "server": "*", "access": "read" } ] },
              "subjects": { "alice": { "roles": ["reader"] } },
            },
          },
        }
        """;
}
