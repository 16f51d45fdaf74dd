using McpGate.Mcp.Discovery;
using McpGate.Analysis.Snapshots;
using McpGate.Policy.Classification;
using McpGate.Configuration;

namespace McpGate.Cli.Commands.Acl;

/// <summary>What discovering one upstream's tools gave: the tools, or why there are none.</summary>
internal sealed record UpstreamToolsResult(string Server, IReadOnlyList<ToolDescriptor>? Tools, string? Failure, bool Unsupported)
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
        if (upstream.Url is null)
        {
            return new UpstreamToolsResult(
                upstream.Alias,
                null,
                $"mcp: cannot discover the tools of '{upstream.Alias}': it is a stdio (command) upstream, and stdio discovery is not supported yet. Use --offline to classify by name and tool_acl only.",
                Unsupported: true);
        }

        try
        {
            var client = new ToolDiscoveryClient();
            var catalog = await client.DiscoverAsync(upstream.Alias, upstream.Url, upstream.Headers, timeout, cancellationToken);
            return new UpstreamToolsResult(upstream.Alias, catalog.Tools, null, Unsupported: false);
        }
        catch (DiscoveryException ex)
        {
            // Its message already names the server, the redacted URL and the cause.
            return new UpstreamToolsResult(upstream.Alias, null, "mcp: " + ex.Message, Unsupported: false);
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

    private static UpstreamToolsResult Failed(UpstreamConfig upstream, string cause) =>
        new(upstream.Alias, null, $"mcp: tool discovery failed for server '{upstream.Alias}' ({DiscoveryException.Redact(upstream.Url!)}): {cause}", Unsupported: false);
}
