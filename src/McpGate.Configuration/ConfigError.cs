using System.Text;

namespace McpGate.Configuration;

/// <summary>
/// One problem found in a config file: where it is (JSON path, and line/column where known), what is wrong, and
/// how to fix it. Messages never quote a bearer token or a substituted environment value.
/// </summary>
/// <param name="JsonPath">Where the problem is, e.g. <c>$.serverAuth.acl.roles.dev[1].acess</c>.</param>
/// <param name="Message">What is wrong, one sentence without a trailing period.</param>
/// <param name="Fix">How to fix it, or null when there is nothing better to say than the message.</param>
/// <param name="Line">1-based line of the offending token or syntax error, when known.</param>
/// <param name="Column">1-based column (in characters) of the offending token or syntax error, when known.</param>
public sealed record ConfigError(string JsonPath, string Message, string? Fix, int? Line = null, int? Column = null)
{
    /// <summary>The error as one grep-friendly line: <c>file:line:column: path: message. Fix: ...</c>.</summary>
    public string Format(string sourcePath)
    {
        var text = new StringBuilder();
        text.Append(sourcePath);
        if (Line is { } line)
        {
            text.Append(':').Append(line);
            if (Column is { } column)
            {
                text.Append(':').Append(column);
            }
        }

        text.Append(": ").Append(JsonPath).Append(": ").Append(Message);
        if (Fix is not null)
        {
            text.Append(". Fix: ").Append(Fix);
        }

        return text.ToString();
    }
}
