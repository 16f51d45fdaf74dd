using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace McpGate.Testing;

/// <summary>
/// A real Prometheus server (the Debian <c>prometheus</c> package; <c>.ci/run</c> installs it when missing) scraping
/// one target every second, on loopback, with its own storage in a temporary directory. Queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly ServiceProcess _process;
    private readonly TempDirectory _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(ServiceProcess process, TempDirectory directory, Uri baseUrl)
    {
        _process = process;
        _directory = directory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts Prometheus scraping <paramref name="metricsUrl"/>; fails with what to install when it is missing.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri metricsUrl)
    {
        var binary = ServiceProcess.Installed("prometheus");
        var directory = new TempDirectory();
        var port = UnusedLoopback.Port();
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var config = Path.Combine(directory.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: mcpgate
                metrics_path: {metricsUrl.AbsolutePath}
                static_configs:
                  - targets: ["{metricsUrl.Authority}"]
            """);

        var start = new ProcessStartInfo(binary)
        {
            ArgumentList =
            {
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory.Path, "data"),
                "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            },
        };
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var process = await ServiceProcess.StartAsync(
                "prometheus", start, prometheus => prometheus.WaitUntilAsync(() => IsReadyAsync(probe, baseUrl), TimeSpan.FromSeconds(30), "answer GET /-/ready"));
            return new PrometheusServer(process, directory, baseUrl);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs an instant PromQL query until it returns a sample <paramref name="accept"/> takes (scrapes come every
    /// second); returns that value, or throws with the last answer after <paramref name="timeout"/>.
    /// </summary>
    public async Task<double> QueryUntilAsync(string promql, Func<double, bool> accept, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "(no answer)";
        while (DateTime.UtcNow < deadline)
        {
            last = await _http.GetStringAsync(new Uri(BaseUrl, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
            using var answer = JsonDocument.Parse(last);
            var result = answer.RootElement.GetProperty("data").GetProperty("result");
            if (result.GetArrayLength() == 1)
            {
                var value = double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                if (accept(value))
                {
                    return value;
                }
            }

            await Task.Delay(250);
        }

        // The targets page says why, when the scrape itself failed.
        var targets = await _http.GetStringAsync(new Uri(BaseUrl, "api/v1/targets"));
        throw new TimeoutException($"Prometheus did not answer `{promql}` as expected within {timeout.TotalSeconds:0} s; last answer: {last}; targets: {targets}");
    }

    /// <summary>Runs an instant PromQL query once; the API's answer (<c>status</c> is <c>error</c> for a query it cannot parse).</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var response = await _http.GetAsync(new Uri(BaseUrl, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
        _directory.Dispose();
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, Uri baseUrl)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(baseUrl, "-/ready"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return false;
        }
    }
}
