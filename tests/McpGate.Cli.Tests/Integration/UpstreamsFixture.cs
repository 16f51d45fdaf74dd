using McpGate.Testing;

namespace McpGate.Cli.Tests.Integration;

/// <summary>
/// Real MCP upstreams (official C# SDK over loopback HTTP) shared by a test class: a stateful 2025-11-25 server,
/// a stateless 2026-07-28 one, one that pages <c>tools/list</c>, and one whose annotations contradict its words.
/// </summary>
public sealed class UpstreamsFixture : IAsyncLifetime
{
    /// <summary>Sent by the CLI on discovery because the config says so; never a caller's token.</summary>
    public const string UpstreamAuthorization = "Bearer upstream-secret";

    public TestUpstream Stateful { get; private set; } = null!;

    public TestUpstream Stateless { get; private set; } = null!;

    public TestUpstream Paged { get; private set; } = null!;

    public TestUpstream Liar { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stateful = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        Stateless = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        Paged = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Both, ToolsPageSize = 3 });
        Liar = await TestUpstream.StartAsync(new TestUpstreamOptions
        {
            IncludeDefaultTools = false,
            ExtraTools =
            [
                // Annotated read-only, but its name and description say it deletes: the classifier flags the conflict.
                new TestTool("delete_records")
                {
                    Description = "Deletes every record in the table and removes the backups.",
                    ReadOnlyHint = true,
                },
                new TestTool("execute_sql_read_only")
                {
                    Description = "Runs a read-only SQL query and returns the result set.",
                },
            ],
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var upstream in (TestUpstream?[])[Stateful, Stateless, Paged, Liar])
        {
            if (upstream is not null)
            {
                await upstream.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The policy most tests use. alice reads everything but no secrets; bob reads and may write files; write_file
    /// is the only tool a writer grant covers. <c>offline</c> points at a closed port; <c>notes</c> is stdio.
    /// </summary>
    public string StandardConfig(Uri? offlineUrl = null) => $$"""
        {
          // comments and trailing commas are accepted, as in the operator's real file
          "mcpServers": {
            "files":   { "url": "{{Stateful.McpUrl}}", "headers": { "Authorization": "{{UpstreamAuthorization}}" } },
            "files26": { "url": "{{Stateless.McpUrl}}" },
            "paged":   { "url": "{{Paged.McpUrl}}" },
            "liar":    { "url": "{{Liar.McpUrl}}" },
            "offline": { "url": "{{offlineUrl ?? UnusedLoopback.McpUrl()}}", "tool_acl": { "read": ["read_*"], "write": ["web_*"] } },
            "notes":   { "command": "notes-server", "args": ["--stdio"], "tool_acl": { "read": ["get_*"] } },
          },
          "serverAuth": {
            "providers": [],
            "acl": {
              "default": "deny",
              "roles": {
                "reader":   [ { "server": "*", "access": "read" } ],
                "writer":   [ { "server": "files", "access": "write", "tools": ["write_file"] } ],
                "nosecret": [ { "server": "*", "access": "*", "deny": true, "resources": ["file:///secret/*"] } ],
              },
              "subjects": {
                "alice": { "roles": ["reader", "nosecret"] },
                "bob":   { "roles": ["reader", "writer"] },
              },
            },
          },
        }
        """;
}
