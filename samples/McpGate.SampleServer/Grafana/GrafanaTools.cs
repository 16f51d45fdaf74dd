using System.ComponentModel;
using McpGate.SampleServer.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGate.SampleServer.Grafana;

/// <summary>A Grafana-like upstream: Prometheus queries, dashboards and alert rules.</summary>
[McpServerToolType]
internal sealed class GrafanaTools
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dashboard> _dashboards = new(StringComparer.Ordinal)
    {
        ["gw-overview"] = new("gw-overview", "MCP gateway overview", "platform", ["Requests/s", "Denials by rule", "Upstream latency p95"]),
        ["k8s-nodes"] = new("k8s-nodes", "Kubernetes nodes", "infra", ["CPU", "Memory", "Pods"]),
        ["billing"] = new("billing", "Billing pipeline", "finance", ["Invoices/h", "Failed charges"]),
    };

    private readonly List<object> _alertRules = [];

    [McpServerTool(Name = "query_prometheus", ReadOnly = true)]
    [Description("Runs a PromQL query against the Prometheus datasource and returns the samples.")]
    public static CallToolResult QueryPrometheus(
        [Description("PromQL expression, e.g. rate(http_requests_total[5m])")] string expr,
        [Description("Range to query, e.g. 15m or 1h")] string range = "15m")
    {
        // Deterministic fake series: the values depend only on the expression.
        var seed = expr.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
        var start = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var values = Enumerable.Range(0, 5)
            .Select(i => new object[] { start + (i * 60), (Math.Abs((seed + i * 7) % 1000) / 10.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) });
        return SampleJson.Ok(new
        {
            Status = "success",
            Data = new { ResultType = "matrix", Result = new[] { new { Metric = new { job = "mcpgate" }, Values = values } } },
            Range = range,
        });
    }

    [McpServerTool(Name = "list_dashboards", ReadOnly = true)]
    [Description("Lists dashboards, optionally filtered by a title search.")]
    public CallToolResult ListDashboards(
        [Description("Text the title must contain")] string? query = null,
        [Description("Maximum number of dashboards")] int limit = 50)
    {
        lock (_gate)
        {
            return SampleJson.Ok(_dashboards.Values
                .Where(d => query is null || d.Title.Contains(query, StringComparison.OrdinalIgnoreCase))
                .Take(Math.Max(0, limit))
                .Select(d => new { d.Uid, d.Title, d.Folder }));
        }
    }

    [McpServerTool(Name = "get_dashboard")]
    [Description("Returns the JSON model of a dashboard by its UID.")]
    public CallToolResult GetDashboard([Description("Dashboard UID")] string uid)
    {
        lock (_gate)
        {
            return _dashboards.TryGetValue(uid, out var dashboard)
                ? SampleJson.Ok(dashboard)
                : SampleJson.Error($"Dashboard '{uid}' not found");
        }
    }

    [McpServerTool(Name = "update_dashboard")]
    [Description("Updates the title or panels of an existing dashboard.")]
    public CallToolResult UpdateDashboard(
        [Description("Dashboard UID")] string uid,
        [Description("New title")] string? title = null,
        [Description("Panel titles, replacing the existing panels")] string[]? panels = null)
    {
        lock (_gate)
        {
            if (!_dashboards.TryGetValue(uid, out var dashboard))
            {
                return SampleJson.Error($"Dashboard '{uid}' not found");
            }

            dashboard = dashboard with { Title = title ?? dashboard.Title, Panels = panels ?? dashboard.Panels, Version = dashboard.Version + 1 };
            _dashboards[uid] = dashboard;
            return SampleJson.Ok(new { dashboard.Uid, dashboard.Version, Status = "success" });
        }
    }

    [McpServerTool(Name = "create_alert_rule")]
    [Description("Creates an alert rule that fires when a PromQL expression crosses a threshold.")]
    public CallToolResult CreateAlertRule(
        [Description("Rule title")] string title,
        [Description("PromQL expression to evaluate")] string expr,
        [Description("Threshold the expression must exceed")] double threshold,
        [Description("How long the condition must hold, e.g. 5m")] string @for = "5m")
    {
        lock (_gate)
        {
            var uid = $"rule-{_alertRules.Count + 1:000}";
            _alertRules.Add(new { uid, title, expr, threshold, @for });
            return SampleJson.Ok(new { Uid = uid, Title = title, State = "pending" });
        }
    }

    internal sealed record Dashboard(string Uid, string Title, string Folder, IReadOnlyList<string> Panels, int Version = 1);
}
