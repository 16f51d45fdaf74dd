using System.CommandLine;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Acl;

/// <summary><c>mcp acl</c>: ask the policy questions offline of the gateway, with the gateway's own code.</summary>
internal static class AclCommand
{
    public static Command Create(CommandHelp help)
    {
        var command = new Command("acl", "Check and explain ACL decisions (same loader, classifier and evaluator as 'mcp serve').")
        {
            AclCheckCommand.Create(help),
            AclClassifyCommand.Create(help),
            AclSnapshotCommand.Create(help),
            AclTestCommand.Create(help),
            AclLintCommand.Create(help),
            AclReplayCommand.Create(help),
        };

        help.Add(
            command,
            synopsis: "mcp acl <command> [options]",
            examples: """
            mcp acl check --subject bob --server github --tool create_pr
            mcp acl check --role dev --server github --all-tools
            mcp acl classify --format json | jq '.[] | select(.conflict)'
            mcp acl snapshot --out tools.snapshot.json
            mcp acl test policy-tests.json --tools-snapshot tools.snapshot.json
            mcp acl lint --tools-snapshot tools.snapshot.json
            mcp acl replay --log audit/ --config servers.json --baseline main-servers.json --since 7d
            """);
        return command;
    }
}
