using McpGate.Gateway.Stdio;
using McpGate.Mcp.Discovery;
using McpGate.Analysis.Snapshots;
using McpGate.Policy.Classification;
using McpGate.Configuration;

namespace McpGate.Cli.Commands.Acl;

/// <summary>What discovering one upstream's tools gave: the tools, or why there are none.</summary>
internal sealed record UpstreamToolsResult(string Server, IReadOnlyList<ToolDescriptor>? Tools, string? Failure)
{
    public bool Succeeded => Tools is not null;

    /// <summary>Everything known of the upstream: the snapshot's full record, or only the tools discovered live.</summary>
    public UpstreamSurface? Surface
    {
        get => field ?? (Tools is null ? null : new UpstreamSurface(Server, Tools));
        init;
    }
}

/// <summary>Live tool discovery (MCP initialize + <c>tools/list</c>, all pages) for the CLI, bounded by a timeout.</summary>
internal static class UpstreamTools
{
    public static TimeSpan ResolveTimeout(double? seconds, TimeSpan configured) =>
        seconds is { } value ? TimeSpan.FromSeconds(value) : configured;

    public static async Task<UpstreamToolsResult> DiscoverAsync(UpstreamConfig upstream, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var catalog = await WithClientAsync(upstream, (client, url) =>
                client.DiscoverAsync(upstream.Alias, url, upstream.Headers, timeout, cancellationToken));
            return new UpstreamToolsResult(upstream.Alias, catalog.Tools, null);
        }
        catch (DiscoveryException ex)
        {
            // Its message already names the server, the redacted URL and the cause.
            return new UpstreamToolsResult(upstream.Alias, null, "mcp: " + ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(upstream, $"no answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex)
        {
            return Failed(upstream, ex.Message);
        }
    }

    /// <summary>
    /// Runs <paramref name="discover"/> with a client that reaches the upstream: over HTTP, or for a <c>command</c>
    /// upstream through the gate's own stdio bridge, the child started for the discovery and ended after it.
    /// </summary>
    public static async Task<T> WithClientAsync<T>(UpstreamConfig upstream, Func<ToolDiscoveryClient, Uri, Task<T>> discover)
    {
        if (upstream.Url is { } url)
        {
            return await discover(new ToolDiscoveryClient(), url);
        }

        await using var stdio = new StdioDiscovery(upstream);
        return await discover(stdio.Client, stdio.Address);
    }

    private static UpstreamToolsResult Failed(UpstreamConfig upstream, string cause) =>
        new(upstream.Alias, null, $"mcp: tool discovery failed for server '{upstream.Alias}' ({Describe(upstream)}): {cause}");

    /// <summary>How an error names the upstream: its redacted URL, or the command it is started with.</summary>
    public static string Describe(UpstreamConfig upstream) =>
        upstream.Url is { } url ? DiscoveryException.Redact(url) : "command " + upstream.Command;
}
