using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace McpGate.Testing;

/// <summary>
/// A real Prometheus server (the Debian <c>prometheus</c> package; <c>.ci/run</c> installs it when missing) scraping
/// one target every second, on loopback, with its own storage in a temporary directory. Queried through its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _directory;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PrometheusServer(Process process, TempDirectory directory, Uri baseUrl)
    {
        _process = process;
        _directory = directory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts Prometheus scraping <paramref name="metricsUrl"/>; fails with what to install when it is missing.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri metricsUrl)
    {
        var binary = FindBinary() ?? throw new InvalidOperationException(
            "prometheus is not installed: `apt-get install -y --no-install-recommends prometheus` (.ci/run does this when it is missing)");
        var directory = new TempDirectory();
        var port = FreePort();
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
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
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
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prometheus exited with {_process.ExitCode} before it was ready");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(BaseUrl, "-/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("prometheus was not ready within 30 s");
    }

    private static string? FindBinary()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "prometheus");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
