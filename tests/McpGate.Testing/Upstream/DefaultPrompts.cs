using System.ComponentModel;
using ModelContextProtocol.Server;

namespace McpGate.Testing;

[McpServerPromptType]
internal sealed class DefaultPrompts(UpstreamSpy spy)
{
    [McpServerPrompt(Name = "code_review")]
    [Description("Reviews a piece of code.")]
    public string CodeReview([Description("The code to review")] string code)
    {
        spy.RecordPromptGet("code_review");
        return $"Please review this code and point out bugs:\n{code}";
    }

    [McpServerPrompt(Name = "admin_prompt")]
    [Description("Operator instructions (privileged).")]
    public string AdminPrompt()
    {
        spy.RecordPromptGet("admin_prompt");
        return "You are the operator. Rotate all keys.";
    }
}
