using System.CommandLine;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Acl;

/// <summary><c>mcp acl lint</c>: what in the policy is dead or dangerous, each finding with its place in the file and a fix.</summary>
internal static class AclLintCommand
{
    public const string Error = "error";
    public const string Warning = "warning";

    public static Command Create(CommandHelp help)
    {
        var config = CommonOptions.Config();
        var toolsSnapshot = CommonOptions.ToolsSnapshot();
        var format = CommonOptions.Format();
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit 1 when a finding of this severity or worse exists.",
            HelpName = "error|warning",
            DefaultValueFactory = _ => Error,
        };
        failOn.AcceptOnlyFromAmong(Error, Warning);
        var timeout = CommonOptions.Timeout();

        var command = new Command("lint", "Find dead and dangerous parts of the policy (stable codes, file:line:col, a fix each).")
        {
            config, toolsSnapshot, format, failOn, timeout,
        };

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, (output, error) =>
            AclLintRunner.RunAsync(
                parseResult.GetValue(config),
                parseResult.GetValue(toolsSnapshot),
                parseResult.GetValue(format) == CommonOptions.Json,
                parseResult.GetValue(failOn) == Warning,
                parseResult.GetValue(timeout),
                output,
                error,
                cancellationToken)));

        help.Add(
            command,
            synopsis: "mcp acl lint [--config PATH] [--tools-snapshot FILE] [--format text|json] [--fail-on error|warning] [--timeout SECONDS]",
            details: """
                Errors (dangerous): default-allow, plaintext-token, role-undefined. Warnings (dead or risky):
                grant-shadowed-by-deny, pattern-matches-nothing, role-unused, duplicate-grant, ambiguous-writable.
                pattern-matches-nothing and ambiguous-writable need each upstream's tools: from live discovery, or
                from --tools-snapshot FILE; an upstream that is not known is left out of those two checks.
                docs/policy-ci.md explains every code with an example.
                """,
            exitStatus: """
                0  no finding at or above --fail-on (default error)
                1  at least one such finding
                2  usage or config error
                3  an upstream's tools could not be discovered (the other findings are still printed)
                """,
            examples: """
            mcp acl lint --tools-snapshot tools.snapshot.json
            mcp acl lint --fail-on warning --format json | jq -r '.findings[] | "\(.code) \(.json_path)"'
            """);
        return command;
    }
}
