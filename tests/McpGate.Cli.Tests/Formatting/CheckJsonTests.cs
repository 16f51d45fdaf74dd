using System.Text.Json;
using McpGate.Cli.Commands.Acl;
using McpGate.Cli.Tests.Support;

namespace McpGate.Cli.Tests.Formatting;

public sealed class CheckJsonTests
{
    private static readonly string[] s_toolFields =
    [
        "subject", "roles", "server", "tool", "tool_known", "decision", "matched_rule", "reason", "access_kind",
        "access_source", "grant_access", "classification_kind", "classification_source", "classification_confidence",
        "classification_reasons", "rate_limits", "token",
    ];

    [Fact]
    public void Object_ToolCheck_HasExactlyTheContractFieldsInOrder()
    {
        var output = new StringWriter();

        CheckJson.WriteObject(output, Decisions.AllowBobListRepos());

        using var document = JsonDocument.Parse(output.ToString());
        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(s_toolFields);
    }

    [Fact]
    public void Object_AllowedTool_CarriesTheDecisionValues()
    {
        var output = new StringWriter();

        CheckJson.WriteObject(output, Decisions.AllowBobListRepos());

        using var document = JsonDocument.Parse(output.ToString());
        var root = document.RootElement;
        root.GetProperty("subject").GetString().Should().Be("bob");
        root.GetProperty("roles").EnumerateArray().Select(e => e.GetString()).Should().Equal("dev");
        root.GetProperty("tool").GetString().Should().Be("list_repos");
        root.GetProperty("tool_known").GetBoolean().Should().BeTrue();
        root.GetProperty("decision").GetString().Should().Be("allow");
        root.GetProperty("matched_rule").GetString().Should().Be("dev[0]");
        root.GetProperty("access_kind").GetString().Should().Be("read");
        root.GetProperty("access_source").GetString().Should().Be("classification");
        root.GetProperty("grant_access").GetString().Should().Be("read");
        root.GetProperty("classification_kind").GetString().Should().Be("read");
        root.GetProperty("classification_source").GetString().Should().Be("classifier");
        root.GetProperty("classification_confidence").GetDouble().Should().Be(0.5);
        root.GetProperty("classification_reasons").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public void Object_UnknownTool_WritesNullsRatherThanOmittingFields()
    {
        var output = new StringWriter();

        CheckJson.WriteObject(output, Decisions.DenyUnknownTool());

        using var document = JsonDocument.Parse(output.ToString());
        var root = document.RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal(s_toolFields);
        root.GetProperty("tool_known").GetBoolean().Should().BeFalse();
        foreach (var name in (string[])["grant_access", "classification_kind", "classification_source", "classification_confidence", "classification_reasons"])
        {
            root.GetProperty(name).ValueKind.Should().Be(JsonValueKind.Null, name);
        }
    }

    [Fact]
    public void Object_ResourceCheck_NamesTheResourceFieldAndNoTool()
    {
        var output = new StringWriter();

        CheckJson.WriteObject(output, Decisions.AllowRolesOnlyResource());

        using var document = JsonDocument.Parse(output.ToString());
        var root = document.RootElement;
        root.TryGetProperty("tool", out _).Should().BeFalse();
        root.GetProperty("resource").GetString().Should().Be("file:///public/readme.md");
        root.GetProperty("subject").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("tool_known").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void Array_AllTools_WritesOneObjectPerResultInGivenOrder()
    {
        var output = new StringWriter();

        CheckJson.WriteArray(output, [Decisions.DenyBobDeleteRepo(), Decisions.AllowBobListRepos()]);

        using var document = JsonDocument.Parse(output.ToString());
        document.RootElement.EnumerateArray().Select(e => e.GetProperty("tool").GetString()).Should().Equal("delete_repo", "list_repos");
    }
}
