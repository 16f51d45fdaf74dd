using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpGate.Bench.Runner.Peers;

namespace McpGate.Bench.Runner;

/// <summary>
/// The gate's variants (issues 16 and 17), each its own <c>mcp serve</c> on the proxy's CPU with the team policy of
/// bench/policy/servers.json changed in one respect, measured in the same interleaved tools/call rounds as McpGate:
/// <list type="bullet">
/// <item><c>mcpgate-oauth</c>: <c>serverAuth.providers: ["oauth"]</c> with a loopback issuer the runner serves; wrk
/// sends bob's JWT (groups → the same roles as bob's static token).</item>
/// <item><c>mcpgate-metrics</c>: <c>gateway.telemetry.prometheus: true</c>, every request recorded, <c>/metrics</c>
/// scraped every 5 s for as long as the gate runs.</item>
/// <item><c>mcpgate-traces</c>: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set (http/protobuf) to the runner's discard
/// receiver: every request traced (the SDK's default sampler, with no incoming traceparent) and exported, metrics
/// exported over OTLP too.</item>
/// </list>
/// Each comes with evidence that it did what it is named for (issuer fetches, scraped counts, spans received).
/// </summary>
internal sealed partial class LoadBench
{
    public const string OAuthGate = "mcpgate-oauth";
    public const string MetricsGate = "mcpgate-metrics";
    public const string TracesGate = "mcpgate-traces";

    /// <summary>Prometheus's scrape interval in the bench (its default is 1 min, docs/observability.md suggests 15 s).</summary>
    private static readonly TimeSpan s_scrapeInterval = TimeSpan.FromSeconds(5);

    private static readonly (string Name, string Key)[] s_variantKeys = [(OAuthGate, "oauth"), (MetricsGate, "metrics"), (TracesGate, "traces")];

    private PeerHost? _peers;
    private MetricsScraper? _scraper;

    private async Task<List<Target>> StartVariantsAsync(string? proxyCpu, string logs, string scratch, string upstreamUrl)
    {
        _peers = await PeerHost.StartAsync(FreePort());
        log.WriteLine($"started the variants' peers in the runner: issuer and OTLP receiver at {_peers.Url}");

        var oauthPort = FreePort();
        var resource = $"http://127.0.0.1:{Num(oauthPort)}";
        var oauthPolicy = VariantPolicy(scratch, "oauth", root =>
        {
            var auth = root["serverAuth"]!.AsObject();
            auth["providers"] = new JsonArray("oauth");
            auth.Remove("bearer");
            auth["oauth"] = new JsonObject
            {
                ["issuer"] = _peers.Url,
                ["resource"] = resource,
                ["requiredScopes"] = new JsonArray("mcp"),
            };
        });
        var metricsPolicy = VariantPolicy(scratch, "metrics", root => root["gateway"]!["telemetry"]!["prometheus"] = true);

        var upstream = new Dictionary<string, string> { ["BENCH_UPSTREAM_URL"] = upstreamUrl };
        var otlp = new Dictionary<string, string>(upstream)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _peers.Url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "mcpgate-bench",
        };

        var oauth = StartVariant(OAuthGate, proxyCpu, oauthPolicy, oauthPort, scratch, logs, upstream);
        var metricsPort = FreePort();
        var metrics = StartVariant(MetricsGate, proxyCpu, metricsPolicy, metricsPort, scratch, logs, upstream);
        var tracesPort = FreePort();
        var traces = StartVariant(TracesGate, proxyCpu, BasePolicy(), tracesPort, scratch, logs, otlp);
        await oauth.WaitReadyAsync(oauthPort, "/healthz", TimeSpan.FromSeconds(60));
        await metrics.WaitReadyAsync(metricsPort, "/healthz", TimeSpan.FromSeconds(60));
        await traces.WaitReadyAsync(tracesPort, "/healthz", TimeSpan.FromSeconds(60));
        _scraper = new MetricsScraper(new Uri($"http://127.0.0.1:{Num(metricsPort)}/metrics"), s_scrapeInterval);

        // aud = the route's resource (the default audience), groups → roles dev (bob's no-prod comes from
        // acl.subjects, as for the static token), scope mcp (required), valid for a day: the run never sees it expire.
        var jwt = _peers.Issuer.Mint($"{resource}/mcp/github", "bob", ["dev"], "mcp", TimeSpan.FromDays(1));
        return
        [
            new Target(OAuthGate, new Uri($"{resource}/mcp/github"), oauth) { Token = jwt, CallOnly = true },
            new Target(MetricsGate, new Uri($"http://127.0.0.1:{Num(metricsPort)}/mcp/github"), metrics) { CallOnly = true },
            new Target(TracesGate, new Uri($"http://127.0.0.1:{Num(tracesPort)}/mcp/github"), traces) { CallOnly = true },
        ];
    }

    /// <summary>
    /// Stops the variants once the tools/call scenario is done (SIGTERM: the traced gate flushes its last spans and
    /// metrics) and gathers what shows each really did its extra work.
    /// </summary>
    private async Task<VariantEvidence> StopVariantsAsync(List<Target> targets, Dictionary<string, long> rss)
    {
        var oauth = targets.Find(t => t.Name == OAuthGate)!;
        var metrics = targets.Find(t => t.Name == MetricsGate)!;
        var traces = targets.Find(t => t.Name == TracesGate)!;
        await _scraper!.StopAsync();
        foreach (var target in new[] { oauth, metrics, traces })
        {
            rss[$"{target.Name}_end"] = target.Process!.ReadRssKb();
            var exit = await target.Process.StopAsync(TimeSpan.FromSeconds(30));
            if (exit != 0)
            {
                log.WriteLine($"warning: {target.Name} exited with {exit} on SIGTERM; see {target.Process.LogPath}");
            }
        }

        var sink = _peers!.Sink.Counts;
        var evidence = new VariantEvidence
        {
            OAuth = new OAuthEvidence(_peers.Url, "oauth", oauth.Token.Length, _peers.DiscoveryRequests, _peers.JwksRequests, oauth.Requests),
            Metrics = new MetricsEvidence(
                s_scrapeInterval.TotalSeconds, _scraper.Scrapes, _scraper.Failures, _scraper.LastBytes, _scraper.ToolCallsRecorded(), metrics.ToolCalls),
            Traces = new TracesEvidence(
                _peers.Url, sink.TraceRequests, sink.TraceBytes, sink.Spans, sink.MetricRequests, sink.MetricBytes, traces.Requests,
                traces.Requests == 0 ? 0 : Math.Round((double)sink.Spans / traces.Requests, 2)),
        };
        log.WriteLine($"  {OAuthGate}: issuer discovery fetched {evidence.OAuth.DiscoveryRequests}×, JWKS {evidence.OAuth.JwksRequests}× for {oauth.Requests} requests");
        log.WriteLine($"  {MetricsGate}: {evidence.Metrics.Scrapes} scrapes ({evidence.Metrics.ScrapeFailures} failed), tools/call recorded {evidence.Metrics.ToolCallsRecorded} of {metrics.ToolCalls} sent");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {TracesGate}: {sink.TraceRequests} trace exports, {sink.TraceBytes / 1048576.0:0.0} MiB, {sink.Spans} spans for {traces.Requests} requests ({evidence.Traces.SpansPerRequest:0.00} per request); {sink.MetricRequests} metric exports"));

        // A variant that did not do its extra work would make its figure meaningless: fail rather than report it.
        if (_scraper.Failures > 0 || evidence.Metrics.ToolCallsRecorded == 0)
        {
            throw new BenchException($"{MetricsGate}: {_scraper.Failures} of {_scraper.Scrapes + _scraper.Failures} scrapes failed ({_scraper.LastFailure}), {evidence.Metrics.ToolCallsRecorded} tools/call recorded; see {metrics.Process!.LogPath}");
        }

        if (sink.Spans == 0)
        {
            throw new BenchException($"{TracesGate}: no span reached the OTLP receiver ({sink.TraceRequests} trace exports, {sink.Unreadable} unreadable); see {traces.Process!.LogPath}");
        }

        return evidence;
    }

    private ManagedProcess StartVariant(
        string name, string? proxyCpu, string policy, int port, string scratch, string logs, IReadOnlyDictionary<string, string> environment)
    {
        var auditPath = Path.Combine(scratch, "audit-" + name, "audit.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(auditPath)!);
        return Start(name, proxyCpu, GateDll(),
            ["serve", "--config", policy, "--listen", $"127.0.0.1:{Num(port)}", "--audit-log", auditPath], logs, environment);
    }

    /// <summary>bench/policy/servers.json with one change, written to <paramref name="scratch"/>: the ACL stays the same file's.</summary>
    private string VariantPolicy(string scratch, string name, Action<JsonObject> change)
    {
        var text = File.ReadAllText(BasePolicy());
        var root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        change(root);
        var path = Path.Combine(scratch, $"servers.{name}.json");
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private async Task DisposeVariantPeersAsync()
    {
        if (_scraper is not null)
        {
            await _scraper.DisposeAsync();
        }

        if (_peers is not null)
        {
            await _peers.DisposeAsync();
        }
    }
}
