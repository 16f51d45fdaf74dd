using System.Text;
using McpGate.Gateway.Catalog;
using McpGate.Gateway.Inspection;
using McpGate.Mcp.Discovery;
using McpGate.Mcp.JsonRpc;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpGate.Gateway.Tests.Inspection;

/// <summary>
/// Step 8 without sockets: real inspector, real loader and evaluator, a catalog that already holds the upstream's
/// tools (as after a proxied <c>tools/list</c>), so no discovery runs.
/// </summary>
public sealed class RequestDeciderTests
{
    private const string Policy = """
        {
          "mcpServers": { "files": { "url": "http://127.0.0.1:1/mcp" } },
          "serverAuth": {
            "acl": {
              "default": "deny",
              "roles": {
                "reader": [
                  { "server": "files", "access": "read", "tools": ["*"] },
                  { "server": "files", "access": "read", "resources": ["file:///public/*"] },
                  { "server": "files", "access": "read", "prompts": ["code_review"] }
                ]
              },
              "subjects": { "bob": { "roles": ["reader"] } }
            }
          }
        }
        """;

    private static readonly Identity s_bob = new("bob", [], AuthSource.Bearer);

    private readonly GateConfig _config = ConfigLoader.Parse(Policy, "/etc/mcpgate/servers.json", _ => null);
    private readonly RequestDecider _decider;

    public RequestDeciderTests()
    {
        var catalog = new ToolCatalog(new ToolDiscoveryClient(), new McpGate.Gateway.Stdio.StdioUpstreams(_ => null, TimeProvider.System, NullLogger<McpGate.Gateway.Stdio.StdioUpstreams>.Instance), new UpstreamHealth(TimeProvider.System), TimeProvider.System, NullLogger<ToolCatalog>.Instance);
        catalog.Observe("files", [
            new ToolDescriptor("read_file", "Reads a file and returns its text.", ["path"], ReadOnlyHint: true, DestructiveHint: null),
            new ToolDescriptor("delete_file", "Deletes a file.", ["path"], ReadOnlyHint: false, DestructiveHint: true),
        ]);
        _decider = new RequestDecider(catalog, new ToolClassifier());
    }

    private UpstreamConfig Files => _config.Servers["files"];

    [Fact]
    public async Task ReadOnlyTool_ForAReader_IsAllowedByTheReadGrant()
    {
        var decision = await DecideAsync(_config, Call(1, "tools/call", """ "name": "read_file", "arguments": { "path": "/a" } """));

        decision.Should().NotBeNull();
        decision!.Value.IsAllowed.Should().BeTrue();
        decision.Value.MatchedRule.Should().Be("reader[0]");
        decision.Value.ClassificationKind.Should().Be(ToolKind.Read);
    }

    [Fact]
    public async Task DestructiveTool_ForAReader_IsDeniedByDefault()
    {
        var decision = await DecideAsync(_config, Call(1, "tools/call", """ "name": "delete_file", "arguments": { "path": "/a" } """));

        decision!.Value.IsAllowed.Should().BeFalse();
        decision.Value.MatchedRule.Should().Be("default");
        decision.Value.AccessKind.Should().Be(AccessKind.Write);
    }

    [Fact]
    public async Task ToolAclOfTheConfigPassedIn_DecidesNotTheOneTheToolWasFirstSeenUnder()
    {
        // A reload that makes read_file a write tool applies to the next call, with the same catalog.
        var reloaded = ConfigLoader.Parse(Policy.Replace("\"url\": \"http://127.0.0.1:1/mcp\"", "\"url\": \"http://127.0.0.1:1/mcp\", \"tool_acl\": { \"write\": [\"read_file\"] }", StringComparison.Ordinal), "/etc/mcpgate/servers.json", _ => null);

        var decision = await _decider.DecideAsync(reloaded, reloaded.Servers["files"], s_bob, Call(1, "tools/call", """ "name": "read_file" """), CancellationToken.None);

        decision!.Value.IsAllowed.Should().BeFalse();
        decision.Value.ClassificationSource.Should().Be(ClassificationSource.Override);
    }

    [Theory]
    [InlineData("resources/read", """ "uri": "file:///public/notes.txt" """, true)]
    [InlineData("resources/read", """ "uri": "file:///secret/keys.txt" """, false)]
    [InlineData("resources/read", """ "uri": "file:///public/%2e%2e/secret/keys.txt" """, false)]
    [InlineData("resources/subscribe", """ "uri": "file:///secret/keys.txt" """, false)]
    [InlineData("prompts/get", """ "name": "code_review" """, true)]
    [InlineData("prompts/get", """ "name": "deploy" """, false)]
    [InlineData("completion/complete", """ "ref": { "type": "ref/prompt", "name": "deploy" }, "argument": { "name": "a", "value": "" } """, false)]
    [InlineData("completion/complete", """ "ref": { "type": "ref/resource", "uri": "file:///public/{name}" }, "argument": { "name": "name", "value": "" } """, true)]
    public async Task ResourcesPromptsAndCompletions_AreDecidedOnTheirTarget(string method, string parameters, bool allowed)
    {
        var decision = await DecideAsync(_config, Call(7, method, parameters));

        decision.Should().NotBeNull();
        decision!.Value.IsAllowed.Should().Be(allowed);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":{}}""")]
    public async Task MessagesTheAclDoesNotDecide_HaveNoDecision(string json)
    {
        (await DecideAsync(_config, Inspect(json)[0])).Should().BeNull();
    }

    [Fact]
    public async Task BatchOfAllowedCalls_MayBeForwarded()
    {
        var batch = Inspect("[" + Json(1, "tools/call", """ "name": "read_file" """) + "," + Json(2, "prompts/get", """ "name": "code_review" """) + "]");

        var (decisions, mayForward) = await _decider.DecideBatchAsync(_config, Files, s_bob, batch, CancellationToken.None);

        mayForward.Should().BeTrue();
        decisions.Should().HaveCount(2).And.OnlyContain(d => d != null && d.Value.IsAllowed);
    }

    [Fact]
    public async Task BatchWithOneDeniedCall_IsNotForwarded_AndEachElementKeepsItsOwnDecision()
    {
        var batch = Inspect("[" + Json(1, "tools/call", """ "name": "read_file" """) + "," + Json(2, "tools/call", """ "name": "delete_file" """) + "]");

        var (decisions, mayForward) = await _decider.DecideBatchAsync(_config, Files, s_bob, batch, CancellationToken.None);

        mayForward.Should().BeFalse();
        decisions[0]!.Value.IsAllowed.Should().BeTrue();
        decisions[1]!.Value.IsAllowed.Should().BeFalse();
    }

    [Theory]
    [InlineData("tools/list")]
    [InlineData("initialize")]
    public async Task BatchHoldingARequestTheGateMustAnswerAlone_IsNotForwarded(string method)
    {
        var batch = Inspect("[" + Json(1, "tools/call", """ "name": "read_file" """) + "," + Json(2, method, """ "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } """) + "]");

        var (decisions, mayForward) = await _decider.DecideBatchAsync(_config, Files, s_bob, batch, CancellationToken.None);

        mayForward.Should().BeFalse();
        decisions[0]!.Value.IsAllowed.Should().BeTrue();
        decisions[1].Should().BeNull();
    }

    private ValueTask<Decision?> DecideAsync(GateConfig config, InspectedMessage message) =>
        _decider.DecideAsync(config, config.Servers["files"], s_bob, message, CancellationToken.None);

    private static InspectedMessage Call(int id, string method, string parameters) => Inspect(Json(id, method, parameters))[0];

    private static string Json(int id, string method, string parameters) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"method\":\"" + method + "\",\"params\":{" + parameters + "}}";

    private static IReadOnlyList<InspectedMessage> Inspect(string json)
    {
        var inspection = JsonRpcInspector.Inspect(Encoding.UTF8.GetBytes(json));
        inspection.Failure.Should().BeNull(json);
        return inspection.Messages;
    }
}
