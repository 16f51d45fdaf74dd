using System.Text;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Policy.Configuration;
using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// Regression for a bypass the gate property found (seed 63Ki-6kNgqki): bob may read <c>file:///public/*</c>, and
/// <c>file:///public/%2e%2e/secret/keys.txt</c> matches that glob as text — but the upstream's SDK normalises the URI
/// and read <c>file:///secret/keys.txt</c>. Every form a URI can resolve to is now decided.
/// </summary>
[Trait("Category", "Network")]
public sealed class ResourceTraversalTests : IAsyncLifetime
{
    private HostileGate _gate = null!;

    public static TheoryData<string> EscapingUris => new()
    {
        "file:///public/../secret/keys.txt",
        "file:///public/%2e%2e/secret/keys.txt",
        "file:///public/%2E%2E/secret/keys.txt",
        "file:///public/.%2e/secret/keys.txt",
        "file:///public/..%2fsecret/keys.txt",
        "file:///public/%2e%2e%2fsecret/keys.txt",
        "file:///public/%252e%252e/secret/keys.txt",
        "file:///public/../../secret/keys.txt",
        "file:///projects/x/../../secret/keys.txt",
        "file:///projects/%2e%2e/secret/keys.txt",
        "file:///public/..\\secret/keys.txt",
    };

    public async Task InitializeAsync() => _gate = await HostileGate.StartAsync();

    public async Task DisposeAsync() => await _gate.DisposeAsync();

    [Theory]
    [MemberData(nameof(EscapingUris))]
    public async Task ResourceRead_UriThatNormalisesOutOfTheGrant_IsDenied_AndTheSecretIsNeverRead(string uri)
    {
        var (response, body, forwarded) = await _gate.SendAsync(ReadRequest(uri));

        using var answer = JsonDocument.Parse(body);
        answer.RootElement.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32003, body);
        forwarded.Should().BeEmpty();
        _gate.Upstream.Spy.ResourceReadCount(TestUpstream.SecretKeysUri).Should().Be(0);
        response.IsSuccessStatusCode.Should().BeTrue();
    }

    [Fact]
    public async Task ResourceRead_DotSegmentsThatStayInsideTheGrant_AreStillAllowed()
    {
        var (_, body, forwarded) = await _gate.SendAsync(ReadRequest("file:///public/docs/../readme.md"));

        forwarded.Should().ContainSingle();
        body.Should().NotContain("capability_denied");
    }

    [Theory]
    [MemberData(nameof(EscapingUris))]
    public void AclCheck_DecidesAnEscapingUriLikeTheGate(string uri)
    {
        var directory = Directory.CreateTempSubdirectory("mcpgate-traversal-");
        try
        {
            var path = Path.Combine(directory.FullName, "servers.json");
            File.WriteAllText(path, GatePolicies.Standard(new Uri("http://127.0.0.1:1/mcp")));
            var config = ConfigLoader.Load(path);

            var decision = config.Evaluator.Evaluate(new Identity("bob", [], AuthSource.Bearer), "files", TargetKind.Resource, uri, null);

            decision.IsAllowed.Should().BeFalse();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static HostileRequest ReadRequest(string uri) => new(
        Caller.Bob,
        Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":" + JsonSerializer.Serialize(uri) + "}}"),
        "application/json",
        null,
        SessionChoice.Own,
        "2025-11-25",
        []);
}
