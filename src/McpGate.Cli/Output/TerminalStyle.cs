using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Output;

/// <summary>
/// ANSI colour for verdicts, only when writing to the process's own stdout, that stdout is a terminal, and
/// NO_COLOR (https://no-color.org) is unset. A captured writer never gets escape codes.
/// </summary>
internal sealed class TerminalStyle
{
    public static readonly TerminalStyle Plain = new(false);

    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Reset = "\u001b[0m";

    private TerminalStyle(bool colour)
    {
        Colour = colour;
    }

    public bool Colour { get; }

    public static TerminalStyle For(TextWriter output)
    {
        var colour = ReferenceEquals(output, Console.Out)
            && !Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return colour ? new TerminalStyle(true) : Plain;
    }

    /// <summary>Colours <paramref name="text"/> (already padded, so alignment ignores the escape codes).</summary>
    public string Verdict(Verdict verdict, string text)
    {
        if (!Colour)
        {
            return text;
        }

        var trimmed = text.TrimEnd();
        var padding = text[trimmed.Length..];
        return (verdict == Policy.Evaluation.Verdict.Allow ? Green : Red) + trimmed + Reset + padding;
    }
}
