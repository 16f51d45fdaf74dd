using System.CommandLine;
using McpGate.Cli.Help;
using McpGate.Configuration;
using McpGate.Gateway.Hosting;

namespace McpGate.Cli.Commands;

/// <summary>
/// <c>mcp serve</c>: runs the gateway until SIGINT/SIGTERM, then drains and exits 0 (docs/cli.md, "<c>mcp serve</c>").
/// The gateway reports how its start went (<see cref="GatewayHost"/>); this command owns the terminal: the messages,
/// the banner and the exit code.
/// </summary>
public static class ServeCommand
{
    internal static Command Create(CommandHelp help)
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
        var logFormatOption = new Option<string>("--log-format")
        {
            Description = "Diagnostics on the console: text for people, json for log collectors (compact JSON, CLEF).",
            HelpName = "text|json",
            DefaultValueFactory = _ => CommonOptions.Text,
        };
        logFormatOption.AcceptOnlyFromAmong(CommonOptions.Text, CommonOptions.Json);

        var command = new Command("serve", "Run the gateway in front of the configured MCP servers.")
        {
            config,
            listen,
            auditLog,
            allowRemote,
            logFormatOption,
        };

        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new GatewayRunOptions
            {
                ConfigPath = parseResult.GetValue(config),
                Listen = parseResult.GetValue(listen),
                AuditLogPath = parseResult.GetValue(auditLog),
                AllowRemote = parseResult.GetValue(allowRemote),
                LogFormat = parseResult.GetValue(logFormatOption) == CommonOptions.Json ? GatewayLogFormat.Json : GatewayLogFormat.Text,
            };
            var invocation = parseResult.InvocationConfiguration;
            return RunAsync(options, invocation.Output, invocation.Error, onListening: null, cancellationToken);
        });

        help.Add(
            command,
            synopsis: "mcp serve [--config PATH] [--listen HOST:PORT] [--audit-log PATH] [--allow-remote] [--log-format text|json]",
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
            mcp serve --log-format json 2>&1 | your-log-shipper
            """);
        return command;
    }

    /// <summary>Runs the gate until <paramref name="cancellationToken"/> fires or SIGINT/SIGTERM; returns the exit code.
    /// The demo calls this too, with <paramref name="onListening"/> to print its tips after the banner.</summary>
    public static async Task<int> RunAsync(GatewayRunOptions options, TextWriter output, TextWriter error, Func<TextWriter, string, Task>? onListening, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var start = await GatewayHost.StartAsync(options, cancellationToken);
        switch (start.Status)
        {
            case GatewayStartStatus.Started:
                break;
            case GatewayStartStatus.InvalidConfig:
                // The loader's message already names the file, the JSON path and the fix.
                await error.WriteLineAsync(start.Error);
                return ExitCodes.Usage;
            case GatewayStartStatus.AddressInUse:
                await error.WriteLineAsync($"mcp serve: {start.Error}");
                return ExitCodes.CannotListen;
            case GatewayStartStatus.Cancelled:
                return ExitCodes.Success;
            default:
                await error.WriteLineAsync($"mcp serve: {start.Error}");
                return ExitCodes.Usage;
        }

        await using var gateway = start.Gateway!;

        // With the audit log on stdout, the banner goes to stderr so stdout stays pure JSONL.
        var console = gateway.AuditsToStdout ? error : output;
        await WriteBannerAsync(console, gateway);
        if (onListening is not null)
        {
            await onListening(console, gateway.Address);
            await console.FlushAsync(cancellationToken);
        }

        await gateway.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Success;
    }

    private static async Task WriteBannerAsync(TextWriter output, RunningGateway gateway)
    {
        var config = gateway.Config;
        var address = gateway.Address;
        await output.WriteLineAsync($"McpGate listening on {address}");
        await output.WriteLineAsync($"  policy   {Path.GetFullPath(config.SourcePath)} ({config.Evaluator.Schema} ACL; edits are reloaded live)");
        await output.WriteLineAsync($"  audit    {gateway.AuditDestination}");
        string? firstAlias = null;
        foreach (var (alias, upstream) in config.Servers)
        {
            firstAlias ??= alias;
            var target = upstream.Url?.ToString() ?? $"stdio: {upstream.Command} (started on first use, {(upstream.Stdio?.Sharing == StdioSharing.PerSession ? "a process per session" : "one shared process")})";
            await output.WriteLineAsync($"  {address}/mcp/{alias}  →  {target}");
        }

        if (firstAlias is not null)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("Try it:");
            await output.WriteLineAsync($"  curl -s {address}/readyz");
            await output.WriteLineAsync($"  npx @modelcontextprotocol/inspector   # then connect (Streamable HTTP) to {address}/mcp/{firstAlias} with a bearer token");
            await output.WriteLineAsync($"  mcp acl check --config {config.SourcePath} --subject <name> --server {firstAlias} --all-tools");
        }

        await output.FlushAsync();
    }
}
