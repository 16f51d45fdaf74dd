using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using McpGate.Cli.Commands;
using McpGate.Cli.Commands.Acl;
using McpGate.Cli.Commands.Audit;
using McpGate.Cli.Help;

namespace McpGate.Cli;

/// <summary>
/// The <c>mcp</c> command tree. Every subcommand is registered in <see cref="Create"/> and nowhere else, so a new
/// command group (e.g. <c>mcp audit</c>) is one line here plus its own folder under Commands/.
/// </summary>
internal static class McpCommand
{
    /// <summary>
    /// Long enough for <c>mcp serve</c> to drain in-flight requests after SIGINT/SIGTERM before System.CommandLine
    /// gives up waiting and forces exit code 130/143.
    /// </summary>
    public static readonly TimeSpan ProcessTerminationTimeout = TimeSpan.FromSeconds(60);

    public static RootCommand Create()
    {
        var root = new RootCommand(
            "McpGate: an inspecting reverse proxy for MCP servers that decides, per call, which tools a caller may use.");

        // Every command group is registered here and only here; each lives in its own folder under Commands/.
        var help = new CommandHelp();
        root.Subcommands.Add(ServeCommand.Create(help));
        root.Subcommands.Add(AclCommand.Create(help));
        root.Subcommands.Add(AuditCommand.Create(help));

        // The root's name is the executable's, which is "testhost" or "dotnet" in some hosts: spell it out.
        help.Add(
            root,
            synopsis: "mcp <command> [options]",
            examples: """
            mcp serve --config servers.json
            mcp acl check --subject bob --server github --tool create_pr
            mcp acl classify --server github
            mcp audit alerts --since 1h
            """);

        CommandHelp.Install(root, help);
        return root;
    }

    public static InvocationConfiguration CreateInvocationConfiguration(TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration
        {
            ProcessTerminationTimeout = ProcessTerminationTimeout,
        };
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        return configuration;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Parse errors exit 2 (System.CommandLine's own handler exits 1,
    /// which <c>mcp acl check</c> reserves for "denied").
    /// </summary>
    public static Task<int> InvokeAsync(string[] args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        // No response files: "@FILE" is --token's own syntax (and a value starting with '@' is never expanded behind
        // the operator's back).
        var parseResult = Create().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parseResult.Action is ParseErrorAction)
        {
            WriteParseErrors(parseResult, configuration.Error);
            return Task.FromResult(ExitCodes.Usage);
        }

        return parseResult.InvokeAsync(configuration, cancellationToken);
    }

    private static void WriteParseErrors(ParseResult parseResult, TextWriter error)
    {
        foreach (var parseError in parseResult.Errors)
        {
            error.WriteLine($"mcp: {parseError.Message}");
        }

        var commandPath = CommandPath(parseResult.CommandResult.Command, parseResult.RootCommandResult.Command);
        error.WriteLine($"Run '{commandPath} --help' for usage.");
    }

    private static string CommandPath(Command command, Command root)
    {
        var names = new Stack<string>();
        for (var symbol = command; symbol is not null && !ReferenceEquals(symbol, root); symbol = symbol.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Push(symbol.Name);
        }

        return names.Count == 0 ? "mcp" : "mcp " + string.Join(' ', names);
    }
}
