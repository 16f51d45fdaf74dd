using System.ComponentModel;
using McpGate.SampleServer.Hosting;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGate.SampleServer.Sentry;

/// <summary>A Sentry-like upstream: issues of a few projects.</summary>
/// <remarks>Parameter names are the wire names (snake_case), as the real servers spell them.</remarks>
[McpServerToolType]
internal sealed class SentryTools
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Issue> _issues = new(StringComparer.Ordinal)
    {
        ["MCPGATE-1A"] = new("MCPGATE-1A", "gateway", "NullReferenceException in SessionBinder.Bind", "error", "unresolved", 212),
        ["MCPGATE-1B"] = new("MCPGATE-1B", "gateway", "TimeoutException: upstream 'grafana' did not answer", "warning", "unresolved", 37),
        ["MCPGATE-1C"] = new("MCPGATE-1C", "cli", "ArgumentException: unknown server alias 'gh'", "error", "resolved", 4),
    };

    [McpServerTool(Name = "list_issues", ReadOnly = true)]
    [Description("Lists issues of a project, most frequent first.")]
    public CallToolResult ListIssues(
        [Description("Project slug")] string project,
        [Description("unresolved, resolved or all")] string status = "unresolved",
        [Description("Maximum number of issues")] int limit = 25)
    {
        lock (_gate)
        {
            return SampleJson.Ok(_issues.Values
                .Where(i => i.Project == project && (status == "all" || i.Status == status))
                .OrderByDescending(i => i.Count)
                .Take(Math.Max(0, limit)));
        }
    }

    [McpServerTool(Name = "get_issue_details")]
    [Description("Retrieves the details of an issue and its latest event, including the stack trace.")]
    public CallToolResult GetIssueDetails([Description("Issue short id, e.g. MCPGATE-1A")] string issue_id)
    {
        lock (_gate)
        {
            if (!_issues.TryGetValue(issue_id, out var issue))
            {
                return SampleJson.Error($"Issue '{issue_id}' not found");
            }

            return SampleJson.Ok(new
            {
                Issue = issue,
                LatestEvent = new
                {
                    EventId = $"{issue_id.ToLowerInvariant()}-e1",
                    Timestamp = "2026-11-01T08:15:02Z",
                    Stacktrace = new[] { "McpGate.Gateway.Sessions.SessionBinder.Bind(String subject)", "McpGate.Gateway.McpInspectionMiddleware.InvokeAsync(HttpContext context)" },
                },
            });
        }
    }

    [McpServerTool(Name = "resolve_issue")]
    [Description("Marks an issue as resolved.")]
    public CallToolResult ResolveIssue([Description("Issue short id, e.g. MCPGATE-1A")] string issue_id)
    {
        lock (_gate)
        {
            if (!_issues.TryGetValue(issue_id, out var issue))
            {
                return SampleJson.Error($"Issue '{issue_id}' not found");
            }

            _issues[issue_id] = issue with { Status = "resolved" };
            return SampleJson.Ok(new { Id = issue_id, Status = "resolved" });
        }
    }

    internal sealed record Issue(string Id, string Project, string Title, string Level, string Status, int Count);
}
