using System.CommandLine;
using McpGate.Cli.Help;
using McpGate.Gateway.Hosting;

namespace McpGate.Cli.Commands;

/// <summary><c>mcp serve</c>: runs the gateway until SIGINT/SIGTERM, then drains and exits 0 (gateway.md §1).</summary>
internal static class ServeCommand
{
    public static Command Create(CommandHelp help)
    {
        var config = CommonOptions.Config();
        var listen = new Option<string?>("--listen")
        {
            Description = "Address to listen on. Overrides gateway.listen. Default: 127.0.0.1:8080.",
            HelpName = "HOST:PORT",
        };
        var auditLog = new Option<string?>("--audit-log")
        {
            Description = "Audit log file (rolled daily), or - for stdout. Overrides gateway.audit.path.",
            HelpName = "PATH",
        };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "Permit a non-loopback --listen address (plain HTTP on a network: choose it knowingly).",
        };

        var command = new Command("serve", "Run the gateway in front of the configured MCP servers.")
        {
            config,
            listen,
            auditLog,
            allowRemote,
        };

        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new GatewayRunOptions
            {
                ConfigPath = parseResult.GetValue(config),
                Listen = parseResult.GetValue(listen),
                AuditLogPath = parseResult.GetValue(auditLog),
                AllowRemote = parseResult.GetValue(allowRemote),
            };
            var invocation = parseResult.InvocationConfiguration;
            return GatewayHost.RunAsync(options, invocation.Output, invocation.Error, cancellationToken);
        });

        help.Add(
            command,
            synopsis: "mcp serve [--config PATH] [--listen HOST:PORT] [--audit-log PATH] [--allow-remote]",
            details: """
                Serves POST/GET/DELETE /mcp/{alias} (Streamable HTTP to upstream {alias}, every call decided by the
                ACL), GET /healthz and GET /readyz. Listens on loopback unless --allow-remote. Flags win over the
                config's gateway section. SIGINT/SIGTERM drain in-flight requests, then exit 0.
                """,
            exitStatus: """
                0  stopped by SIGINT/SIGTERM after draining in-flight requests
                1  the listen address is taken
                2  bad flag, bad config, or a listen address that is invalid or not allowed
                """,
            examples: """
            mcp serve
            mcp serve --config /etc/mcpgate/servers.json --audit-log /var/log/mcpgate/audit-.jsonl
            mcp serve --listen 0.0.0.0:8080 --allow-remote
            mcp serve --audit-log - | jq 'select(.decision == "deny")'
            """);
        return command;
    }
}
