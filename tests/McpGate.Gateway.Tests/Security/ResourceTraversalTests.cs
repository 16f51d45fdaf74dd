using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpGate.Gateway.Tests.Functional;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// Regression for a bypass the gate property found (seed 63Ki-6kNgqki): bob may read <c>file:///public/*</c>, and
/// <c>file:///public/%2e%2e/secret/keys.txt</c> matches that glob as text — but the upstream's SDK normalises the URI
/// and read <c>file:///secret/keys.txt</c>. Every form a URI can resolve to is now decided.
/// And for issue 13 (one reading): URIs are decided on their WHATWG-canonical form, the form <c>new URL()</c> gives
/// a TypeScript-SDK upstream, so a tab inside a dot segment, <c>FILE:</c>, <c>file://localhost/</c>, <c>file:/</c>
/// or a leading control character no longer reads as something else to the gate.
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

        // Issue 13: what the WHATWG URL parser strips or folds before it removes dot segments.
        "file:///public/.\t./secret/keys.txt",
        "file:///public/.\n./secret/keys.txt",
        "file:///public/%2e\r%2e/secret/keys.txt",
        "file:///public/\t../secret/keys.txt",
        "FILE:///secret/keys.txt",
        "file://localhost/secret/keys.txt",
        "file:/secret/keys.txt",
        "file:secret/keys.txt",
        " file:///secret/keys.txt",
        "\u0001file:///secret/keys.txt",
        "file:\\\\\\secret\\keys.txt",

        // node 20 keeps these dot segments in the href; a file server resolves them, so the dot-free form is decided too.
        "file:///public/.e/../../secret/keys.txt",
    };

    /// <summary>Issue 13: each is <c>file:///secret/keys.txt</c> to a WHATWG-URL upstream; none matches the deny grant as text.</summary>
    public static TheoryData<string> SecretWrittenOtherwise => new()
    {
        "FILE:///secret/keys.txt",
        "file://localhost/secret/keys.txt",
        "file://LOCALHOST/secret/keys.txt",
        "file:/secret/keys.txt",
        "file:secret/keys.txt",
        " file:///secret/keys.txt",
        "\u001Ffile:///secret/keys.txt",
        "file:///sec\tret/keys.txt",
        "file:///secret/./keys.txt",
        "file:\\\\\\secret\\keys.txt",
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

    [Theory]
    [MemberData(nameof(SecretWrittenOtherwise))]
    public async Task ResourceRead_SecretWrittenAsAnotherUrlForm_IsDeniedByTheDenyGrant_AndNeverForwarded(string uri)
    {
        // erin may read every resource except file:///secret/*; a glob read on the raw text let these through.
        await using var upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateful2025 });
        await using var gate = await RunningGate.StartAsync(AllButSecretPolicy(upstream.McpUrl));
        await using var erin = await GateClients.ConnectAsync(gate, ErinToken, UpstreamEra.Stateful2025);

        // The raw body on erin's session: the SDK client would also mirror the URI into Mcp-Name, and HTTP trims a
        // leading space there, so the gate would refuse the header mismatch before the ACL had its say.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, gate.McpUrl("files"))
        {
            Content = new StringContent(ReadBody(uri), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ErinToken);
        request.Headers.TryAddWithoutValidation("Mcp-Session-Id", erin.SessionId);
        request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", "2025-11-25");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        body.Should().Contain("\"code\":-32003", "the deny grant decides the canonical URI");
        upstream.Spy.RequestsFor("resources/read").Should().BeEmpty();
        upstream.Spy.ResourceReadCount(TestUpstream.SecretKeysUri).Should().Be(0);
        (await erin.ReadResourceAsync(TestUpstream.ReadmeUri)).Contents.Should().NotBeEmpty("the canonical public URI is still allowed");
    }

    [Fact]
    public async Task ResourceRead_CanonicalFormsOfAnAllowedUri_AreStillAllowed()
    {
        foreach (var uri in new[] { "FILE:///public/readme.md", "file://localhost/public/readme.md", "file:///public/./readme.md" })
        {
            var (_, body, forwarded) = await _gate.SendAsync(ReadRequest(uri));

            forwarded.Should().ContainSingle(uri);
            body.Should().NotContain("capability_denied", uri);
        }
    }

    [Fact]
    public async Task ResourceRead_UriThatIsNotAUrl_IsDenied_AndNeverForwarded()
    {
        var (_, body, forwarded) = await _gate.SendAsync(ReadRequest("file://host:80/public/readme.md"));

        using var answer = JsonDocument.Parse(body);
        answer.RootElement.GetProperty("error").GetProperty("code").GetInt32().Should().Be(-32003, body);
        forwarded.Should().BeEmpty();
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

    private const string ErinToken = "erin-secret-token-0d41";

    private static string AllButSecretPolicy(Uri upstream) => $$"""
        {
          "mcpServers": { "files": { "url": "{{upstream}}" } },
          "serverAuth": {
            "providers": ["bearer"],
            "bearer": { "tokens": { "{{ErinToken}}": "erin" } },
            "acl": {
              "default": "deny",
              "roles": {
                "reader": [ { "server": "files", "access": "read", "resources": ["*"] } ],
                "nosecret": [ { "server": "files", "access": "*", "deny": true, "resources": ["file:///secret/*"] } ]
              },
              "subjects": { "erin": { "roles": ["reader", "nosecret"] } }
            }
          }
        }
        """;

    private static string ReadBody(string uri) =>
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":" + JsonSerializer.Serialize(uri) + "}}";

    private static HostileRequest ReadRequest(string uri) => new(
        Caller.Bob,
        Encoding.UTF8.GetBytes(ReadBody(uri)),
        "application/json",
        null,
        SessionChoice.Own,
        "2025-11-25",
        []);
}
