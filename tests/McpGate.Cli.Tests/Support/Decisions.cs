using McpGate.Cli.Commands.Acl;
using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Tests.Support;

/// <summary>Decisions built directly, for formatting tests that need no config or upstream.</summary>
internal static class Decisions
{
    public static readonly ToolClassification ClassifierRead =
        new(ToolKind.Read, ClassificationSource.Classifier, 0.5, ["name token 'list' → read (+1)", "description 'returns' → read (+1)"], false, 2);

    public static readonly ToolClassification AnnotationWrite =
        new(ToolKind.Write, ClassificationSource.Annotation, 0.95, ["annotation destructiveHint: true → write"], false, 0);

    public static CheckResult AllowBobListRepos() => new(
        new Decision(
            Verdict.Allow, "dev[0]", AccessKind.Read, AccessSource.Classification, GrantAccess.Read, ClassifierRead, DecisionBasis.AllowGrant,
            new Identity("bob", [], AuthSource.CommandLine), "github", TargetKind.Tool, "list_repos"),
        ["dev"],
        ToolKnown: true);

    public static CheckResult DenyBobDeleteRepo() => new(
        new Decision(
            Verdict.Deny, "default", AccessKind.Write, AccessSource.Classification, null, AnnotationWrite, DecisionBasis.Default,
            new Identity("bob", [], AuthSource.CommandLine), "github", TargetKind.Tool, "delete_repo"),
        ["dev"],
        ToolKnown: true);

    public static CheckResult DenyUnknownTool() => new(
        new Decision(
            Verdict.Deny, "default", AccessKind.Write, AccessSource.Classification, null, null, DecisionBasis.Default,
            new Identity("bob", [], AuthSource.CommandLine), "github", TargetKind.Tool, "frobnicate"),
        ["dev"],
        ToolKnown: false);

    public static CheckResult AllowRolesOnlyResource() => new(
        new Decision(
            Verdict.Allow, "dev[0]", AccessKind.Read, AccessSource.Classification, GrantAccess.Read, null, DecisionBasis.AllowGrant,
            new Identity(null, ["dev", "ops"], AuthSource.CommandLine), "files", TargetKind.Resource, "file:///public/readme.md"),
        ["dev", "ops"],
        ToolKnown: null);
}
