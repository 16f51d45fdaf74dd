using System.CommandLine;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Acl;

/// <summary><c>mcp acl replay</c>: what a policy change would have done to the traffic in the audit log.</summary>
internal static class AclReplayCommand
{
    public const string Markdown = "markdown";
    public const string Loosen = "loosen";
    public const string Tighten = "tighten";
    public const string Any = "any";

    public static Command Create(CommandHelp help)
    {
        var log = new Option<string>("--log")
        {
            Description = "Audit log: a file, a directory of rolled mcpgate-*.jsonl files (read in name order), a rolling pattern, or - for stdin.",
            HelpName = "PATH",
            Required = true,
        };
        var config = CommonOptions.Config();
        config.Description = "The candidate config (the change under review). Default: $MCP_CONFIG_PATH, then ./servers.json.";
        var baseline = new Option<string?>("--baseline")
        {
            Description = "The current config: re-decide under both and compare them, instead of comparing with the recorded decisions.",
            HelpName = "PATH",
        };
        var since = new Option<string?>("--since")
        {
            Description = "Only decisions newer than this (30m, 24h, 7d, 1h30m). Default: the whole log.",
            HelpName = "DURATION",
        };
        var format = new Option<string>("--format")
        {
            Description = "Output format (markdown fits a pull-request comment).",
            HelpName = "text|json|markdown",
            DefaultValueFactory = _ => CommonOptions.Text,
        };
        format.AcceptOnlyFromAmong(CommonOptions.Text, CommonOptions.Json, Markdown);
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when decisions changed this way.",
            HelpName = "loosen|tighten|any",
            DefaultValueFactory = _ => Any,
        };
        failOn.AcceptOnlyFromAmong(Loosen, Tighten, Any);

        var command = new Command("replay", "Re-decide the audited traffic under a candidate config and show what would change.")
        {
            log, config, baseline, since, format, failOn,
        };

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, (output, error) =>
            Task.FromResult(AclReplayRunner.Run(
                new ReplayOptions(
                    parseResult.GetRequiredValue(log),
                    parseResult.GetValue(config),
                    parseResult.GetValue(baseline),
                    parseResult.GetValue(since),
                    parseResult.GetValue(format)!,
                    parseResult.GetValue(failOn)!),
                output,
                Console.OpenStandardInput,
                TimeProvider.System,
                cancellationToken))));

        help.Add(
            command,
            synopsis: """
                mcp acl replay --log PATH [--config CANDIDATE] [--baseline CURRENT] [--since DURATION]
                               [--format text|json|markdown] [--fail-on loosen|tighten|any]
                """,
            details: """
                Reads every tools/call, resources/read and prompts/get decision in the audit log and decides it again
                under the candidate, from what the line recorded: subject, the credential's roles, server, target and
                the tool's classification (re-derived only where the candidate's tool_acl overrides it). No upstream
                is contacted. Prints the decisions that would change, allow -> deny (tightened) and deny -> allow
                (loosened), grouped by subject, server and target with counts, first and last seen, the rule before and
                after and a sample decision_id. Without --baseline the candidate is compared with the decisions the
                gate recorded; with it, both configs are re-decided, so a tool whose classification changed upstream
                since is not mistaken for a policy change. The log is streamed: memory stays flat.
                """,
            exitStatus: """
                0  nothing matched by --fail-on (default any) changed
                1  something did
                2  usage or config error, bad --since, or no audit log at --log
                """,
            examples: """
            # What would the change in this branch have done to last week's traffic?
            mcp acl replay --log /var/log/mcpgate/ --config servers.json --baseline main-servers.json --since 7d

            # As a pull-request comment; fail the job only if something gets looser.
            mcp acl replay --log audit/ --config servers.json --format markdown --fail-on loosen > replay.md
            """);
        return command;
    }
}

internal sealed record ReplayOptions(string LogPath, string? ConfigPath, string? BaselinePath, string? Since, string Format, string FailOn);
