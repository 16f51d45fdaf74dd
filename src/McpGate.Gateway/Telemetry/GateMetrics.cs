using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using McpGate.Audit;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Inspection;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;
using static McpGate.Gateway.Telemetry.GateTelemetryNames;

namespace McpGate.Gateway.Telemetry;

/// <summary>
/// The gate's <see cref="Meter"/> (docs/observability.md, "Metrics"). Every recording checks the instrument's
/// <c>Enabled</c> first, so with no listener (no exporter configured) a request pays one field read per instrument and
/// builds no tag list. No label carries a subject, role or token: cardinality and privacy.
/// </summary>
internal sealed class GateMetrics
{
    private readonly Histogram<double> _operationDuration;
    private readonly Histogram<double> _upstreamDuration;
    private readonly Histogram<double> _gateDuration;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _listItemsHidden;
    private readonly Counter<long> _configReloads;
    private readonly Histogram<double> _httpDuration;

    public GateMetrics(IMeterFactory meterFactory, IAuditHealth audit, UpstreamHealth upstreams)
    {
        // The factory owns (and disposes) the meter with the service provider.
        var meter = meterFactory.Create(Source);
        _operationDuration = meter.CreateHistogram(
            OperationDuration, "s", "MCP request duration as the gate serves it, from receipt until the answer is sent",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _upstreamDuration = meter.CreateHistogram(
            UpstreamDuration, "s", "Time a forwarded MCP request spent with the upstream (YARP's hand-off until its answer was relayed)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _gateDuration = meter.CreateHistogram(
            GateDuration, "s", "Time the gate added to a forwarded MCP request: its whole duration minus the upstream's part",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _httpDuration = meter.CreateHistogram(
            HttpRequestDuration, "s", "GET (listen stream) and DELETE (session end) requests, which carry no MCP message: from receipt until the response ended",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StreamDurationBuckets });
        _decisions = meter.CreateCounter<long>(Decisions, "{decision}", "ACL decisions, by verdict and the call's result");
        _listItemsHidden = meter.CreateCounter<long>(ListItemsHidden, "{item}", "List entries the policy hid from a caller");
        _configReloads = meter.CreateCounter<long>(ConfigReloads, "{reload}", "Config file reloads, applied (ok) or refused (the last good version stays)");
        meter.CreateObservableCounter(AuditWriteFailures, () => audit.FailureCount, "{failure}", "Audit writes that failed since start");
        meter.CreateObservableGauge(AuditQueueDepth, () => audit.QueuedCount, "{record}", "Audit records posted and not yet written");
        meter.CreateObservableGauge(UpstreamAvailable, () => Availability(upstreams), "1", "1 when the upstream answered the gate's last check, else 0");
    }

    // The gate's own work is sub-millisecond: the SDK's default buckets (from 5 ms) would put all of it in the first.
    private static readonly double[] DurationBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    // A listen stream (GET) stays open for minutes or hours: with the buckets above every one of them would land in
    // +Inf, and its quantiles would say nothing.
    private static readonly double[] StreamDurationBuckets =
        [0.001, 0.01, 0.1, 1, 10, 30, 60, 300, 900, 1800, 3600, 7200, 14400];

    /// <summary>One ACL decision, with the result the caller got (<see cref="AuditResults"/>); counted once per audited decision.</summary>
    public void Decided(in Decision decision, string? method, string result)
    {
        if (!_decisions.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { GateTelemetryNames.Decision, decision.Verdict.ToWire() },
            { Result, result },
            { Server, decision.Server },
            { Access, decision.AccessKind.ToWire() },
            { MethodName, MethodLabel(method) },
        };
        _decisions.Add(1, tags);
    }

    /// <summary>
    /// One MCP request answered: its duration and, when it was forwarded, the upstream's part and the gate's.
    /// <paramref name="result"/> is the audit result; anything but ok becomes <c>error.type</c>.
    /// </summary>
    public void Completed(HttpContext context, GateRequestContext gate, InspectedMessage message, Decision? decision, string result)
    {
        if (!_operationDuration.Enabled && !_upstreamDuration.Enabled && !_gateDuration.Enabled)
        {
            return;
        }

        var method = MethodLabel(message.Method);
        var elapsed = Stopwatch.GetElapsedTime(gate.StartTimestamp);
        if (_operationDuration.Enabled)
        {
            var tags = new TagList { { MethodName, method }, { Server, gate.Upstream.Alias } };

            // The tool name is the caller's to choose: only a call the policy let through names one (a bounded set).
            if (decision is { IsAllowed: true, TargetKind: TargetKind.Tool } allowed)
            {
                tags.Add(ToolName, allowed.Target);
            }

            if (ProtocolVersions.Label(context.Request.Headers[McpHeaders.ProtocolVersion].ToString()) is { } version)
            {
                tags.Add(ProtocolVersion, version);
            }

            if (result != AuditResults.Ok)
            {
                tags.Add(ErrorType, result);
            }

            _operationDuration.Record(elapsed.TotalSeconds, tags);
        }

        if (gate.UpstreamTicks > 0)
        {
            var upstream = Stopwatch.GetElapsedTime(0, gate.UpstreamTicks);
            var tags = new TagList { { MethodName, method }, { Server, gate.Upstream.Alias } };
            _upstreamDuration.Record(upstream.TotalSeconds, tags);
            _gateDuration.Record(Math.Max(0, (elapsed - upstream).TotalSeconds), tags);
        }
    }

    /// <summary>
    /// A forwarded GET or DELETE ended. Neither carries an MCP message, so neither is an <c>mcp.server.operation.duration</c>
    /// (the conventions measure messages, not the HTTP requests that carry them); their HTTP-level duration is this.
    /// </summary>
    public void HttpRequestCompleted(HttpContext context, GateRequestContext gate)
    {
        if (!_httpDuration.Enabled)
        {
            return;
        }

        var status = context.Response.StatusCode;
        var tags = new TagList
        {
            { HttpRequestMethod, HttpMethods.GetCanonicalizedValue(context.Request.Method) },
            { Server, gate.Upstream.Alias },
            { HttpResponseStatusCode, status },
        };

        // As the HTTP conventions do: a server error's class is its status code.
        if (status >= StatusCodes.Status500InternalServerError)
        {
            tags.Add(ErrorType, status.ToString(CultureInfo.InvariantCulture));
        }

        _httpDuration.Record(Stopwatch.GetElapsedTime(gate.StartTimestamp).TotalSeconds, tags);
    }

    public void ListFiltered(GateRequestContext gate, int hidden)
    {
        if (hidden > 0 && _listItemsHidden.Enabled)
        {
            _listItemsHidden.Add(hidden, new TagList { { Server, gate.Upstream.Alias }, { MethodName, MethodLabel(gate.Message?.Method) } });
        }
    }

    public void ConfigReloaded(bool applied)
    {
        if (_configReloads.Enabled)
        {
            _configReloads.Add(1, new KeyValuePair<string, object?>(Result, applied ? "ok" : "refused"));
        }
    }

    /// <summary>A method a caller sent is a label only when it is one MCP defines: anything else is <c>_OTHER</c>.</summary>
    internal static string MethodLabel(string? method) => method is not null && McpMethods.IsKnown(method) ? method : Other;

    private static IEnumerable<Measurement<int>> Availability(UpstreamHealth upstreams)
    {
        foreach (var (server, status) in upstreams.All)
        {
            yield return new Measurement<int>(status.Reachable ? 1 : 0, new KeyValuePair<string, object?>(Server, server));
        }
    }
}
