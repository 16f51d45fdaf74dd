using System.CommandLine;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Audit;

/// <summary><c>mcp audit</c>: commands over the audit log.</summary>
internal static class AuditCommand
{
    public static Command Create(CommandHelp help)
    {
        var command = new Command("audit", "Work with the gateway's audit log (JSONL)")
        {
            AuditAlertsCommand.Create(help),
        };

        help.Add(
            command,
            synopsis: "mcp audit <command> [options]",
            examples: """
            mcp audit alerts --since 1h
            """);
        return command;
    }
}
