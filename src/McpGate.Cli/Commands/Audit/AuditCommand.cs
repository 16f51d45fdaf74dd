using System.CommandLine;

namespace McpGate.Cli.Commands.Audit;

/// <summary><c>mcp audit</c>: commands over the audit log.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "Work with the gateway's audit log (JSONL)")
    {
        AuditAlertsCommand.Create(),
    };
}
