using System.Globalization;
using System.Text;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Benchmarks.Decisions;

/// <summary>One request to decide, with everything precomputed so only <c>Evaluate</c> is measured.</summary>
internal sealed record DecisionCase(Identity Identity, string Server, string Tool, ToolClassification Classification);

/// <summary>
/// Generates role-based policies of a given number of grants. Two shapes:
/// <list type="bullet">
/// <item><b>org</b> (the judged one): the policy grows the way a real one does, by more teams. Each team role has
/// 10 grants (broad read, per-tool writes, a per-team server, resources, prompts, a prod write deny, a repo-delete
/// deny); every team has a subject. The caller holds one team role, as a bearer token with roles would say.</item>
/// <item><b>one-role</b> (worst case, reported only): every grant sits in the caller's single role, spread over 22
/// servers, half of them with wildcard tool lists, and the grants that decide are the last ones.</item>
/// </list>
/// </summary>
internal static class PolicyFixtures
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string DenyWins = "deny-wins";

    private const int GrantsPerTeam = 10;
    private const int FillerServers = 20;

    private static readonly ToolClassification s_read = ToolClassifier.ClassifyUncached(
        ToolAclOverrides.None, new ToolDescriptor("get_issue", "Returns the issue with the given id.", ["id"], true, null));

    private static readonly ToolClassification s_write = ToolClassifier.ClassifyUncached(
        ToolAclOverrides.None, new ToolDescriptor("update_rows", "Updates rows of a table.", ["table", "payload"], null, true));

    public static (PolicyEvaluator Evaluator, DecisionCase Case) Org(int grants, string kase)
    {
        var teams = Math.Max(1, grants / GrantsPerTeam);
        var json = new StringBuilder();
        json.Append("{\"mcpServers\":{");
        AppendServers(json);
        json.Append("},\"serverAuth\":{\"acl\":{\"default\":\"deny\",\"roles\":{");
        for (var k = 0; k < teams; k++)
        {
            if (k > 0)
            {
                json.Append(',');
            }

            json.Append(CultureInfo.InvariantCulture, $"\"team-{k}\":[");
            json.Append(CultureInfo.InvariantCulture, $$"""
                {"server":["github","grafana"],"access":"read"},
                {"server":"github","access":"write","tools":["create_issue","update_issue","team{{k}}_*"]},
                {"server":"grafana","access":"write","tools":["update_dashboard_{{k}}"]},
                {"server":"srv-{{k % FillerServers:00}}","access":"*"},
                {"server":"srv-{{(k + 1) % FillerServers:00}}","access":"read","tools":["get_*","list_*","search_*"]},
                {"server":"sentry","access":"read","resources":["sentry://team{{k}}/*"]},
                {"server":"sentry","access":"read","prompts":["triage_*"]},
                {"server":"prod-db","access":"*","tools":["query_*","get_*","update_*"]},
                {"server":"prod-*","access":"write","deny":true},
                {"server":"github","access":"write","tools":["delete_repo"],"deny":true}
                """);
            json.Append(']');
        }

        json.Append("},\"subjects\":{");
        for (var k = 0; k < teams; k++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{(k > 0 ? "," : string.Empty)}\"user{k}\":{{\"roles\":[\"team-{k}\"]}}");
        }

        json.Append("}}}}");
        var evaluator = Load(json.ToString(), $"org-{grants}");

        // The caller's role is the last team defined: nothing about it is near the front of any table.
        var identity = new Identity("bob", [$"team-{teams - 1}"], AuthSource.Bearer);
        return (evaluator, kase switch
        {
            Hit => new DecisionCase(identity, "github", "get_issue", s_read),
            Miss => new DecisionCase(identity, "github", "merge_pull_request", s_write),
            _ => new DecisionCase(identity, "prod-db", "update_rows", s_write),
        });
    }

    public static (PolicyEvaluator Evaluator, DecisionCase Case) OneRole(int grants, string kase)
    {
        var json = new StringBuilder();
        json.Append("{\"mcpServers\":{");
        AppendServers(json);
        json.Append("},\"serverAuth\":{\"acl\":{\"default\":\"deny\",\"roles\":{\"everything\":[");
        var fillers = Math.Max(0, grants - 4);
        for (var i = 0; i < fillers; i++)
        {
            // Every 20th filler lands on the server the cases ask about, so its index holds grants/20 of them.
            var server = i % FillerServers == 0 ? "github" : $"srv-{i % FillerServers:00}";
            var access = i % 3 == 0 ? "write" : "read";
            var tools = i / FillerServers % 2 == 0 ? $"\"get_thing_{i}\",\"list_thing_{i}\"" : $"\"thing{i}_*\"";
            json.Append(CultureInfo.InvariantCulture, $"{{\"server\":\"{server}\",\"access\":\"{access}\",\"tools\":[{tools}]}},");
        }

        json.Append("""
            {"server":"github","access":"read","tools":["get_*","list_*","search_*"]},
            {"server":["github","prod-db"],"access":"*","tools":["admin_*"]},
            {"server":"prod-db","access":"*"},
            {"server":"prod-*","access":"write","deny":true}
            """);
        json.Append("]}}}}");
        var evaluator = Load(json.ToString(), $"one-role-{grants}");
        var identity = new Identity("bob", ["everything"], AuthSource.Bearer);
        return (evaluator, kase switch
        {
            Hit => new DecisionCase(identity, "github", "get_issue", s_read),
            Miss => new DecisionCase(identity, "github", "merge_pull_request", s_write),
            _ => new DecisionCase(identity, "prod-db", "update_rows", s_write),
        });
    }

    /// <summary>The verdict each case must produce; a benchmark whose fixture decides otherwise measures the wrong thing.</summary>
    public static void Verify(PolicyEvaluator evaluator, DecisionCase decisionCase, string kase)
    {
        var decision = evaluator.Evaluate(decisionCase.Identity, decisionCase.Server, TargetKind.Tool, decisionCase.Tool, decisionCase.Classification);
        var expected = kase == Hit ? Verdict.Allow : Verdict.Deny;
        var expectedBasis = kase switch
        {
            Hit => DecisionBasis.AllowGrant,
            Miss => DecisionBasis.Default,
            _ => DecisionBasis.DenyGrant,
        };
        if (decision.Verdict != expected || decision.Basis != expectedBasis)
        {
            throw new InvalidOperationException(
                $"fixture '{kase}' decided {decision.Verdict} by {decision.MatchedRule} ({decision.Basis}); expected {expected} by {expectedBasis}");
        }
    }

    private static void AppendServers(StringBuilder json)
    {
        json.Append("\"github\":{\"url\":\"http://127.0.0.1:1/mcp\"},\"grafana\":{\"url\":\"http://127.0.0.1:1/mcp\"},");
        json.Append("\"sentry\":{\"url\":\"http://127.0.0.1:1/mcp\"},\"prod-db\":{\"url\":\"http://127.0.0.1:1/mcp\"}");
        for (var i = 0; i < FillerServers; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"srv-{i:00}\":{{\"url\":\"http://127.0.0.1:1/mcp\"}}");
        }
    }

    private static PolicyEvaluator Load(string json, string name) =>
        ConfigLoader.Parse(json, $"/bench/{name}.json", _ => null).Evaluator;
}
