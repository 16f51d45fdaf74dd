using System.CommandLine;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Acl;

/// <summary><c>mcp acl test</c>: policy fixtures, so a change to servers.json is reviewed against stated expectations.</summary>
internal static class AclTestCommand
{
    public const string JUnit = "junit";

    public static Command Create(CommandHelp help)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Fixture files ({ \"tests\": [...] }). Default: policy-tests.json next to the config.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var config = CommonOptions.Config();
        var toolsSnapshot = CommonOptions.ToolsSnapshot();
        var format = new Option<string>("--format")
        {
            Description = "Output format.",
            HelpName = "text|json|junit",
            DefaultValueFactory = _ => CommonOptions.Text,
        };
        format.AcceptOnlyFromAmong(CommonOptions.Text, CommonOptions.Json, JUnit);
        var timeout = CommonOptions.Timeout();

        var command = new Command("test", "Run policy fixtures: does each caller still get what the team expects?")
        {
            files, config, toolsSnapshot, format, timeout,
        };

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, (output, error) =>
            AclTestRunner.RunAsync(
                parseResult.GetValue(files) ?? [],
                parseResult.GetValue(config),
                parseResult.GetValue(toolsSnapshot),
                parseResult.GetValue(format)!,
                parseResult.GetValue(timeout),
                output,
                error,
                cancellationToken)));

        help.Add(
            command,
            synopsis: "mcp acl test [FILE...] [--config PATH] [--tools-snapshot FILE] [--format text|json|junit] [--timeout SECONDS]",
            details: """
                Each case names a caller ("subject" and/or "roles", as in 'mcp acl check'), a "server", one of "tool",
                "resource" or "prompt", an optional "access", and what must happen: "expect" (allow|deny), and
                optionally "rule" (the matched_rule) and "classification" (read|write|ambiguous|unknown). Cases are
                decided with the loader, classifier and evaluator of 'mcp serve'; tools come from live discovery or
                --tools-snapshot. Prints one line per failing case, then "N passed, N failed". A case naming a server
                or role the config does not define is an error, not a pass.
                """,
            exitStatus: """
                0  every case passed
                1  at least one case failed
                2  usage, config or fixture error
                3  an upstream's tools could not be discovered
                """,
            examples: """
            mcp acl test policy-tests.json --tools-snapshot tools.snapshot.json
            mcp acl test tests/*.json --format junit > policy-junit.xml
            """);
        return command;
    }
}
