using McpGate.Policy.Classification;

namespace McpGate.Policy.Evaluation;

/// <summary>The lowercase names the audit log, the CLI's JSON and the deny envelope use (gateway.md).</summary>
public static class WireNames
{
    public static string ToWire(this Verdict value) => value == Verdict.Allow ? "allow" : "deny";

    public static string ToWire(this AccessKind value) => value == AccessKind.Read ? "read" : "write";

    public static string ToWire(this AccessSource value) => value == AccessSource.Explicit ? "explicit" : "classification";

    public static string ToWire(this GrantAccess value) => value switch
    {
        GrantAccess.Read => "read",
        GrantAccess.Write => "write",
        _ => "*",
    };

    public static string ToWire(this ToolKind value) => value switch
    {
        ToolKind.Read => "read",
        ToolKind.Write => "write",
        _ => "ambiguous",
    };

    public static string ToWire(this ClassificationSource value) => value switch
    {
        ClassificationSource.Override => "override",
        ClassificationSource.Annotation => "annotation",
        ClassificationSource.Classifier => "classifier",
        _ => "fallback",
    };

    public static string ToWire(this AuthSource value) => value switch
    {
        AuthSource.Bearer => "bearer",
        AuthSource.Forwarded => "forwarded",
        AuthSource.OAuth => "oauth",
        AuthSource.CommandLine => "cli",
        _ => "anonymous",
    };

    public static string ToWire(this TargetKind value) => value switch
    {
        TargetKind.Tool => "tool",
        TargetKind.Resource => "resource",
        _ => "prompt",
    };
}
