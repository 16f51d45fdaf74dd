using McpGate.Analysis;
using McpGate.Analysis.Snapshots;
using McpGate.Configuration;

namespace McpGate.Cli.Commands.Acl;

/// <summary>
/// Where the acl commands get an upstream's tools: live discovery, or a <c>mcp acl snapshot</c> file
/// (<c>--tools-snapshot</c>), so CI can check a policy with no upstream running.
/// </summary>
internal sealed class ToolSource
{
    private readonly ToolsSnapshot? _snapshot;
    private readonly TimeSpan _timeout;

    private ToolSource(ToolsSnapshot? snapshot, TimeSpan timeout)
    {
        _snapshot = snapshot;
        _timeout = timeout;
    }

    public bool IsSnapshot => _snapshot is not null;

    /// <summary>Loads the snapshot when a path is given; a bad snapshot is a usage error (exit 2).</summary>
    public static ToolSource Create(string? snapshotPath, double? timeoutSeconds, GateConfig config)
    {
        var timeout = UpstreamTools.ResolveTimeout(timeoutSeconds, config.Gateway.DiscoveryTimeout);
        if (snapshotPath is null)
        {
            return new ToolSource(null, timeout);
        }

        try
        {
            return new ToolSource(ToolsSnapshotReader.Load(snapshotPath), timeout);
        }
        catch (AnalysisFileException ex)
        {
            throw new CommandFailedException(ExitCodes.Usage, ex.Message);
        }
    }

    /// <summary>The upstream's surface: the snapshot's record of it, or its live tool list.</summary>
    public async Task<UpstreamToolsResult> GetAsync(UpstreamConfig upstream, CancellationToken cancellationToken)
    {
        if (_snapshot is null)
        {
            return await UpstreamTools.DiscoverAsync(upstream, _timeout, cancellationToken);
        }

        if (_snapshot.Servers.TryGetValue(upstream.Alias, out var surface))
        {
            return new UpstreamToolsResult(upstream.Alias, surface.Tools, null) { Surface = surface };
        }

        var recorded = _snapshot.Servers.Count == 0 ? "none" : string.Join(", ", _snapshot.Servers.Keys);
        return new UpstreamToolsResult(
            upstream.Alias,
            null,
            $"mcp: server '{upstream.Alias}' is not in the tools snapshot {_snapshot.SourcePath} (it records: {recorded}). " +
            $"Re-run 'mcp acl snapshot --server {upstream.Alias} --out FILE' to add it.");
    }
}
