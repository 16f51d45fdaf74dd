using System.CommandLine;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Acl;

/// <summary><c>mcp acl classify</c>: how the classifier sees every tool of every (or one) upstream, and why.</summary>
internal static class AclClassifyCommand
{
    public static Command Create(CommandHelp help)
    {
        var config = CommonOptions.Config();
        var server = new Option<string?>("--server")
        {
            Description = "Only this upstream alias. Default: every url upstream in the config.",
            HelpName = "ALIAS",
        };
        var format = CommonOptions.Format();
        var timeout = CommonOptions.Timeout();
        var toolsSnapshot = CommonOptions.ToolsSnapshot();

        var command = new Command(
            "classify",
            "Show how each upstream's tools are classified (read, write, ambiguous), and why.")
        {
            config, server, format, timeout, toolsSnapshot,
        };

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, (output, error) =>
            AclClassifyRunner.RunAsync(
                parseResult.GetValue(config),
                parseResult.GetValue(server),
                parseResult.GetValue(toolsSnapshot),
                parseResult.GetValue(format) == CommonOptions.Json,
                parseResult.GetValue(timeout),
                output,
                error,
                cancellationToken)));

        help.Add(
            command,
            synopsis: "mcp acl classify [--config PATH] [--server ALIAS] [--tools-snapshot FILE] [--format text|json] [--timeout SECONDS]",
            details: """
                Discovers every upstream (or only --server; a stdio upstream is started for it and ended after) and prints, per tool: kind (read|write|ambiguous),
                source (override|annotation|classifier|fallback), confidence, score, the signals behind it, and a
                conflict flag when the tool's annotations and its name and description disagree. With
                --tools-snapshot FILE the tools come from an 'mcp acl snapshot' file instead (no upstream needed).
                """,
            exitStatus: """
                0  every upstream was classified
                2  usage or config error, or unknown --server
                3  an upstream could not be discovered (the others are still printed)
                """,
            examples: """
            mcp acl classify
            mcp acl classify --server github
            mcp acl classify --tools-snapshot tools.snapshot.json
            mcp acl classify --format json | jq -r '.[] | select(.kind == "ambiguous") | "\(.server)/\(.tool)"'
            """);
        return command;
    }
}
