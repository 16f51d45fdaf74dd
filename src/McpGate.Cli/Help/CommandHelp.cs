using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text;

namespace McpGate.Cli.Help;

/// <summary>
/// Extra help text per command (a real synopsis, the exit status, examples) added to System.CommandLine's own
/// help, so <c>--help</c> reads like a Unix tool's: what it does, how to call it, its options, then commands to copy.
/// </summary>
internal sealed class CommandHelp
{
    private readonly Dictionary<Command, Entry> _entries = [];

    public void Add(Command command, string examples, string? synopsis = null, string? details = null, string? exitStatus = null) =>
        _entries[command] = new Entry(examples, synopsis, details, exitStatus);

    /// <summary>Wraps the root's (recursive) help option so every command's help gets its extra sections.</summary>
    public static void Install(RootCommand root, CommandHelp help)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction helpAction } helpOption)
            {
                helpOption.Action = new ExtendedHelpAction(helpAction, help);
            }
        }
    }

    internal static string Render(string standardHelp, Entry entry)
    {
        var text = standardHelp.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (entry.Details is { } details)
        {
            // The description stays one line so parent command lists stay short; the detail goes under it.
            const string DescriptionTitle = "Description:\n";
            var start = text.IndexOf(DescriptionTitle, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf("\n\n", start, StringComparison.Ordinal);
            if (end >= 0)
            {
                text = text[..end] + "\n\n" + Indent(details) + text[end..];
            }
        }

        if (entry.Synopsis is { } synopsis)
        {
            // The generated usage line ("mcp acl check [options]") says nothing; the synopsis says which flags go together.
            const string UsageTitle = "Usage:\n";
            var start = text.IndexOf(UsageTitle, StringComparison.Ordinal);
            if (start >= 0)
            {
                var bodyStart = start + UsageTitle.Length;
                var end = text.IndexOf("\n\n", bodyStart, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end;
                text = text[..bodyStart] + Indent(synopsis) + text[end..];
            }
        }

        var result = new StringBuilder(text.TrimEnd('\n')).Append("\n\n");
        if (entry.ExitStatus is { } exitStatus)
        {
            result.Append("Exit status:\n").Append(Indent(exitStatus)).Append("\n\n");
        }

        result.Append("Examples:\n").Append(Indent(entry.Examples)).Append('\n');
        return result.ToString();
    }

    private static string Indent(string block)
    {
        var lines = block.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = lines[i].Length == 0 ? string.Empty : "  " + lines[i];
        }

        return string.Join('\n', lines);
    }

    internal sealed record Entry(string Examples, string? Synopsis, string? Details, string? ExitStatus);

    private sealed class ExtendedHelpAction(HelpAction inner, CommandHelp help) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            if (!help._entries.TryGetValue(parseResult.CommandResult.Command, out var entry))
            {
                return inner.Invoke(parseResult);
            }

            var invocation = parseResult.InvocationConfiguration;
            var output = invocation.Output;
            using var captured = new StringWriter();
            invocation.Output = captured;
            int exitCode;
            try
            {
                exitCode = inner.Invoke(parseResult);
            }
            finally
            {
                invocation.Output = output;
            }

            output.Write(Render(captured.ToString(), entry).Replace("\n", Environment.NewLine, StringComparison.Ordinal));
            return exitCode;
        }
    }
}
