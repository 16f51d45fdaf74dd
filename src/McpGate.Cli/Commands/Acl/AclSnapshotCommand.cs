using System.CommandLine;
using McpGate.Cli.Help;

namespace McpGate.Cli.Commands.Acl;

/// <summary><c>mcp acl snapshot</c>: record what live discovery sees of each upstream, for CI runs without upstreams.</summary>
internal static class AclSnapshotCommand
{
    public static Command Create(CommandHelp help)
    {
        var config = CommonOptions.Config();
        var server = new Option<string[]>("--server")
        {
            Description = "Only this upstream alias (repeatable). Default: every url upstream in the config.",
            HelpName = "ALIAS",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out")
        {
            Description = "The snapshot file to write ('-' for standard output).",
            HelpName = "FILE",
            Required = true,
        };
        var format = CommonOptions.Format();
        var timeout = CommonOptions.Timeout();

        var command = new Command(
            "snapshot",
            "Record each upstream's tools, prompts and resources in a stable JSON file (for --tools-snapshot).")
        {
            config, server, output, format, timeout,
        };

        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(parseResult, (stdout, error) =>
            AclSnapshotRunner.RunAsync(
                parseResult.GetValue(config),
                parseResult.GetValue(server) ?? [],
                parseResult.GetRequiredValue(output),
                parseResult.GetValue(format) == CommonOptions.Json,
                parseResult.GetValue(timeout),
                stdout,
                error,
                cancellationToken)));

        help.Add(
            command,
            synopsis: "mcp acl snapshot [--config PATH] [--server ALIAS]... --out FILE [--format text|json] [--timeout SECONDS]",
            details: """
                Discovers every url upstream (or each --server) with the discovery 'mcp serve' uses and writes what it
                sees: tools with descriptions, input schemas and annotations; prompts; resources and resource
                templates. Servers and lists are sorted and nothing time-dependent is written, so the file diffs
                cleanly in review. 'mcp acl check', 'classify', 'test' and 'lint' read it with --tools-snapshot FILE.
                Nothing is written when any upstream cannot be discovered.
                """,
            exitStatus: """
                0  the snapshot was written
                2  usage or config error, unknown --server, or the file cannot be written
                3  an upstream could not be discovered (nothing is written)
                """,
            examples: """
            mcp acl snapshot --out tools.snapshot.json
            mcp acl snapshot --server github --server files --out tools.snapshot.json
            git diff tools.snapshot.json      # what changed upstream since the last snapshot
            """);
        return command;
    }
}
