using McpGate.Gateway.Configuration;
using Microsoft.Extensions.Hosting;

namespace McpGate.Gateway.Catalog;

/// <summary>
/// Discovers every url upstream's tools in the background at start and after each reload, so the first
/// <c>tools/call</c> is classified without waiting and <c>/readyz</c> has something to say. A stdio upstream is not:
/// its process starts on first use (docs/stdio.md), and its tools are learnt then.
/// </summary>
internal sealed class CatalogWarmup(GateStateStore store, ToolCatalog catalog) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        store.Reloaded += state => _ = RefreshAllAsync(state, stoppingToken);
        return RefreshAllAsync(store.Current, stoppingToken);
    }

    private async Task RefreshAllAsync(GateState state, CancellationToken cancellationToken)
    {
        var refreshes = new List<Task>();
        foreach (var upstream in state.Config.Servers.Values)
        {
            if (upstream.Url is null)
            {
                continue;
            }

            refreshes.Add(catalog.RefreshAsync(upstream, state.Config.Gateway.DiscoveryTimeout, force: true, cancellationToken));
        }

        try
        {
            await Task.WhenAll(refreshes);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
