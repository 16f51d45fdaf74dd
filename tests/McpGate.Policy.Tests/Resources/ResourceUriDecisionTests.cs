using CsCheck;
using FluentAssertions;
using McpGate.Policy.Evaluation;
using McpGate.Policy.Resources;
using McpGate.Testing;
using Xunit;

namespace McpGate.Policy.Tests.Resources;

/// <summary>
/// Resource URIs are decided on their WHATWG-canonical form, the form a TypeScript-SDK upstream reads: every way of
/// writing a denied file is denied, a URI that is not a URL is refused, and grant patterns are read the same way.
/// </summary>
public sealed class ResourceUriDecisionTests
{
    private const string BobReadsPublic = """
        { "default": "deny",
          "roles": { "reader": [ { "server": "*", "access": "read", "resources": ["file:///public/*"] } ] },
          "subjects": { "bob": { "roles": ["reader"] } } }
        """;

    [Theory]
    [InlineData("file:///public/.\t./secret/keys.txt")]
    [InlineData("file:///public/.\n./secret/keys.txt")]
    [InlineData("file:///public/%2e%2E/secret/keys.txt")]
    [InlineData("file:///public/.%2e/secret/keys.txt")]
    [InlineData("FILE:///secret/keys.txt")]
    [InlineData("file://localhost/secret/keys.txt")]
    [InlineData("file:/secret/keys.txt")]
    [InlineData("file:secret/keys.txt")]
    [InlineData("file:\\\\\\secret\\keys.txt")]
    [InlineData(" file:///secret/keys.txt")]
    [InlineData("\u0001file:///secret/keys.txt")]
    [InlineData("file:///public\\..\\secret\\keys.txt")]
    [InlineData("file:///public/.e/../../secret/keys.txt")]
    public void A_uri_that_an_upstream_reads_outside_the_grant_is_denied(string uri)
    {
        var decision = Policies.Acl(BobReadsPublic).Evaluate(Identities.Of("bob"), "github", TargetKind.Resource, uri, null);

        decision.IsAllowed.Should().BeFalse();
        decision.Target.Should().Be("file:///secret/keys.txt", "the decision names the URI the upstream reads");
        decision.MatchedRule.Should().Be("default");
    }

    [Theory]
    [InlineData("file:///public/readme.md")]
    [InlineData("FILE:///public/readme.md")]
    [InlineData("file://localhost/public/readme.md")]
    [InlineData("file:///public/./readme.md")]
    [InlineData("file:///public/x/../readme.md")]
    public void A_uri_that_an_upstream_reads_inside_the_grant_is_allowed(string uri)
    {
        var decision = Policies.Acl(BobReadsPublic).Evaluate(Identities.Of("bob"), "github", TargetKind.Resource, uri, null);

        decision.IsAllowed.Should().BeTrue();
        decision.Target.Should().Be("file:///public/readme.md");
    }

    [Theory]
    [InlineData("public/readme.md")]
    [InlineData("file://host:8080/public/x")]
    [InlineData("http://[::1/x")]
    [InlineData("http:///")]
    [InlineData("mcp://u@/x")]
    public void A_uri_that_is_not_a_url_is_refused_with_its_own_reason(string uri)
    {
        var evaluator = Policies.Acl("""{ "roles": { "all": [ { "server": "*", "access": "*" } ] }, "subjects": { "bob": { "roles": ["all"] } } }""");

        var decision = evaluator.Evaluate(Identities.Of("bob"), "github", TargetKind.Resource, uri, null);

        decision.IsAllowed.Should().BeFalse("even a grant covering every resource cannot be matched against a URI no upstream reads");
        decision.Basis.Should().Be(DecisionBasis.InvalidUri);
        decision.MatchedRule.Should().Be("invalid-uri");
        decision.Target.Should().Be(uri);
        decision.Reason.Should().Contain("is not a URL an upstream can read");
    }

    [Fact]
    public void Without_a_role_based_acl_the_uri_is_not_read()
    {
        PolicyEvaluator.AllowAll.Evaluate(Identities.Of("bob"), "github", TargetKind.Resource, "not a url", null).IsAllowed.Should().BeTrue();
    }

    [Theory]
    [InlineData("FILE:///public/*", "file:///public/x", true)]
    [InlineData("file://localhost/public/*", "file:///public/x", true)]
    [InlineData("file:public/*", "file:///public/x", true)]
    [InlineData("file:///public/./*", "file:///public/x", true)]
    [InlineData("MCP://Notes/*", "mcp://Notes/a", true)]
    [InlineData("HTTP://EXAMPLE.com:80/*", "http://example.com/a", true)]
    [InlineData("file:///public/*", "file:///public/a b", true)]
    [InlineData("*", "file:///anything", true)]
    [InlineData("*readme.md", "file:///public/readme.md", true)]
    [InlineData("FILE:///public/*", "file:///secret/x", false)]
    public void Grant_patterns_are_read_as_requests_are(string pattern, string uri, bool allowed)
    {
        var evaluator = Policies.Acl($$"""
            { "default": "deny",
              "roles": { "r": [ { "server": "*", "access": "read", "resources": ["{{pattern}}"] } ] },
              "subjects": { "bob": { "roles": ["r"] } } }
            """);

        evaluator.Evaluate(Identities.Of("bob"), "github", TargetKind.Resource, uri, null).IsAllowed.Should().Be(allowed);
    }

    [Theory]
    [InlineData("http://[::1/*", "not a URL")]
    [InlineData("file://host:80/*", "not a URL")]
    [InlineData("file:///public/*/../secret/*", "does not keep its * wildcards")]
    [InlineData("file:///*|/x", "does not keep its * wildcards")]
    [InlineData("http://%2A.example.com/", "does not keep its * wildcards")]
    [InlineData("http://bücher.de/*", "needs IDNA")]
    public void A_pattern_with_a_scheme_that_cannot_be_canonicalised_is_a_load_error(string pattern, string message)
    {
        var json = $$"""
            { {{Policies.Servers}}, "serverAuth": { "acl": {
              "roles": { "r": [ { "server": "*", "access": "read" },
                                { "server": "*", "access": "read", "resources": ["file:///ok/*", "{{pattern}}"] } ] },
              "subjects": { "bob": { "roles": ["r"], "extra": [ { "server": "*", "access": "read", "resources": ["{{pattern}}"] } ] } } } } }
            """;

        var exception = Policies.Fails(json);

        exception.Errors.Should().HaveCount(2);
        exception.Errors[0].JsonPath.Should().Be("$.serverAuth.acl.roles.r[1].resources[1]");
        exception.Errors[1].JsonPath.Should().Be("$.serverAuth.acl.subjects.bob.extra[0].resources[0]");
        exception.Errors[0].Message.Should().Contain(message);
        exception.Errors[0].Fix.Should().NotBeNullOrEmpty();
        exception.Errors[0].Line.Should().Be(json[..json.IndexOf("file:///ok/*", StringComparison.Ordinal)].Count(c => c == '\n') + 1);
        exception.Message.Should().Contain(Policies.SourcePath);
    }

    [Fact]
    public void The_fast_canonical_check_never_accepts_a_uri_the_parser_would_change()
    {
        var plain = Gen.String[Gen.Char["a-zA-Z0-9:/.%@?#*-_~!$&()+,;=[]\\ \t"], 0, 30];
        var gen = Gen.Frequency(
            (2, UrlCorpus.Generated),
            (3, Gen.Select(Gen.OneOf("file:///", "file://", "http://", "https://h/", "mcp://", "mcp:", "memo://x/", "x:/"), plain, (a, b) => a + b)));

        gen.Sample(uri =>
        {
            if (ResourceUri.IsCanonical(uri))
            {
                WhatwgUrl.Canonicalize(uri).Should().Be(uri);
            }
        });
    }

    [Theory]
    [InlineData("file:///public/readme.md")]
    [InlineData("memo://insights")]
    [InlineData("repo://owner/name/src/a.cs?ref=main")]
    [InlineData("https://api.example.com/v1/items")]
    [InlineData("urn:isbn:0451450523")]
    public void The_usual_uri_is_recognised_as_canonical_without_parsing(string uri)
    {
        ResourceUri.IsCanonical(uri).Should().BeTrue();
        ReferenceEquals(ResourceUri.Canonicalize(uri), uri).Should().BeTrue();
    }

    [Fact]
    public void Deciding_a_canonical_uri_allocates_nothing()
    {
        var evaluator = Policies.Acl(BobReadsPublic);
        var bob = Identities.Of("bob");
        evaluator.Evaluate(bob, "github", TargetKind.Resource, "file:///public/readme.md", null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            evaluator.Evaluate(bob, "github", TargetKind.Resource, "file:///public/readme.md", null);
            evaluator.Evaluate(bob, "github", TargetKind.Resource, "file:///secret/keys.txt", null);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
