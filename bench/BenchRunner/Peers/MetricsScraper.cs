using System.Globalization;

namespace McpGate.Bench.Runner.Peers;

/// <summary>
/// Scrapes a gate's <c>/metrics</c> the way a Prometheus server does: on a fixed interval from the gate's start until
/// it is stopped, whatever the gate is doing at the time, with Prometheus's <c>Accept</c> header. The gate's metrics
/// figure therefore carries the scrapes that fall into its runs, at the rate an operator's scrape config would.
/// </summary>
internal sealed class MetricsScraper : IAsyncDisposable
{
    // What Prometheus 2.x/3.x sends: OpenMetrics first, the text format as a fallback.
    private const string PrometheusAccept =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private readonly Uri _url;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string _last = string.Empty;

    public MetricsScraper(Uri url, TimeSpan interval)
    {
        _url = url;
        Interval = interval;
        _loop = LoopAsync();
    }

    public TimeSpan Interval { get; }

    public int Scrapes { get; private set; }

    public int Failures { get; private set; }

    public string? LastFailure { get; private set; }

    public long LastBytes { get; private set; }

    /// <summary>Stops the periodic scrapes, then scrapes once more: <see cref="ToolCallsRecorded"/> reads that last one.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        await ScrapeAsync(CancellationToken.None);
    }

    /// <summary>
    /// <c>tools/call</c> operations in the last scrape: the sum of <c>mcp_server_operation_duration_seconds_count</c>
    /// over the series with <c>mcp_method_name="tools/call"</c> (one per tool, error type, protocol version).
    /// </summary>
    public long ToolCallsRecorded()
    {
        long total = 0;
        foreach (var line in _last.Split('\n'))
        {
            if (!line.StartsWith("mcp_server_operation_duration_seconds_count{", StringComparison.Ordinal)
                || !line.Contains("mcp_method_name=\"tools/call\"", StringComparison.Ordinal))
            {
                continue;
            }

            // name{labels} value [timestamp]
            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            total += (long)double.Parse(value, CultureInfo.InvariantCulture);
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            await ScrapeAsync(_stop.Token);
        }
    }

    private async Task ScrapeAsync(CancellationToken cancel)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _url);
            request.Headers.TryAddWithoutValidation("Accept", PrometheusAccept);
            using var response = await _http.SendAsync(request, cancel);
            var text = await response.Content.ReadAsStringAsync(cancel);
            if (!response.IsSuccessStatusCode)
            {
                Failures++;
                LastFailure = $"HTTP {(int)response.StatusCode}";
                return;
            }

            Scrapes++;
            LastBytes = text.Length;
            _last = text;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            Failures++;
            LastFailure = e.Message;
        }
    }
}
