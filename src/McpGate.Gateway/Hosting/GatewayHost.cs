using McpGate.Policy.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace McpGate.Gateway.Hosting;

/// <summary>The single composition root of the gateway, used by <c>mcp serve</c> and the tests alike.</summary>
public static class GatewayHost
{
    /// <summary>Runs the gate until <paramref name="cancellationToken"/> fires; returns the process exit code
    /// (0 after a graceful drain, 2 for a bad config or listen address, 1 when the address is taken).</summary>
    public static async Task<int> RunAsync(GatewayRunOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        GateConfig config;
        try
        {
            config = ConfigLoader.Load(ConfigLocator.Resolve(options.ConfigPath));
        }
        catch (ConfigLoadException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }

        var listenText = options.Listen ?? config.Gateway.Listen;
        if (!ListenAddress.TryParse(listenText, out var listen, out var listenError))
        {
            await error.WriteLineAsync($"mcp serve: {listenError}");
            return 2;
        }

        if (!listen!.IsLoopback && !options.AllowRemote)
        {
            await error.WriteLineAsync($"mcp serve: {listen} is not a loopback address. The gate speaks plain HTTP; to listen on a network anyway, add --allow-remote (and put TLS in front of it).");
            return 2;
        }

        await using var app = GatewayApplication.Build(config, listen, options.AuditLogPath);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"mcp serve: cannot listen on {listen}: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        var auditPath = options.AuditLogPath ?? config.Gateway.Audit.Path;

        // With the audit log on stdout, the banner goes to stderr so stdout stays pure JSONL.
        var console = auditPath == "-" ? error : output;
        var address = await WriteBannerAsync(console, app, config, auditPath);
        if (options.OnListening is { } onListening)
        {
            await onListening(console, address);
            await output.FlushAsync(cancellationToken);
        }

        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    private static async Task<string> WriteBannerAsync(TextWriter output, WebApplication app, GateConfig config, string auditPath)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
        await output.WriteLineAsync($"McpGate listening on {address}");
        await output.WriteLineAsync($"  policy   {Path.GetFullPath(config.SourcePath)} ({config.Evaluator.Schema} ACL; edits are reloaded live)");
        await output.WriteLineAsync($"  audit    {(auditPath == "-" ? "stdout" : Path.GetFullPath(auditPath))}");
        string? firstAlias = null;
        foreach (var (alias, upstream) in config.Servers)
        {
            if (upstream.Url is null)
            {
                await output.WriteLineAsync($"  {alias,-12} command upstream: not proxied (stdio upstreams are not supported yet)");
                continue;
            }

            firstAlias ??= alias;
            await output.WriteLineAsync($"  {address}/mcp/{alias}  →  {upstream.Url}");
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
        return address;
    }
}
