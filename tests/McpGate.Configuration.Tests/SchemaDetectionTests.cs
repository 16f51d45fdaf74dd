using McpGate.Policy.Evaluation;
using McpGate.Testing;

namespace McpGate.Configuration.Tests;

/// <summary>acl.md §2: the schema follows from which keys are present.</summary>
public sealed class SchemaDetectionTests
{
    [Theory]
    [InlineData("""{ "roles": {} }""", "role-based")]
    [InlineData("""{ "subjects": {} }""", "role-based")]
    [InlineData("""{ "default": "deny", "strictClassification": true, "roles": {} }""", "role-based")]
    [InlineData("""{ "rules": [] }""", "legacy")]
    [InlineData("""{ "default": "deny" }""", "legacy")]
    [InlineData("{}", "legacy")]
    public void AclKeys_SelectTheSchema(string acl, string schema)
    {
        Policies.Acl(acl).Schema.Should().Be(schema);
    }

    [Fact]
    public void RoleBasedDefaults_AreAllowAndNotStrict()
    {
        var evaluator = Policies.Acl("""{ "roles": {} }""");

        evaluator.DefaultVerdict.Should().Be(Verdict.Allow);
        evaluator.StrictClassification.Should().BeFalse();
    }

    [Fact]
    public void NoAcl_HasNoSchema()
    {
        var config = Policies.Parse($$"""{ {{Policies.Servers}}, "serverAuth": { "providers": [] } }""");

        config.Evaluator.Schema.Should().Be("none");
        config.Evaluator.Should().BeSameAs(PolicyEvaluator.AllowAll);
    }
}
