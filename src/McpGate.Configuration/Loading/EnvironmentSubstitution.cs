using System.Text;

namespace McpGate.Configuration.Loading;

/// <summary>
/// Replaces <c>${NAME}</c> and <c>${NAME:-fallback}</c> inside a string value (docs/acl.md, "Environment variables in
/// values"). Like the shell's
/// <c>:-</c>, the fallback is used when the variable is unset or empty. <b>(differs)</b> An unset variable
/// without a fallback is an error rather than "", which could otherwise become an empty bearer token.
/// </summary>
public static class EnvironmentSubstitution
{
    public readonly record struct Problem(string Message, string Fix);

    /// <summary>The substituted value, or null with the problems found (every reference is checked).</summary>
    public static string? Substitute(string value, Func<string, string?> environment, List<Problem> problems)
    {
        var start = value.IndexOf("${", StringComparison.Ordinal);
        if (start < 0)
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var position = 0;
        var failed = false;
        while (start >= 0)
        {
            result.Append(value, position, start - position);
            var close = value.IndexOf('}', start + 2);
            var body = close < 0 ? null : value[(start + 2)..close];
            if (body is null || !TrySplit(body, out var name, out var fallback))
            {
                var shown = close < 0 ? value[start..] : value[start..(close + 1)];
                problems.Add(new Problem(
                    $"\"{Shorten(shown)}\" is not a valid variable reference",
                    "write ${NAME} or ${NAME:-fallback}, where NAME is letters, digits and _ and does not start with a digit"));
                failed = true;
                if (close < 0)
                {
                    break;
                }
            }
            else
            {
                var variable = environment(name);
                if (string.IsNullOrEmpty(variable))
                {
                    if (fallback is not null)
                    {
                        result.Append(fallback);
                    }
                    else if (variable is null)
                    {
                        problems.Add(new Problem(
                            $"environment variable {name} is not set (referenced as ${{{name}}})",
                            $"set {name} before starting McpGate, or give a fallback: ${{{name}:-value}}"));
                        failed = true;
                    }
                }
                else
                {
                    result.Append(variable);
                }
            }

            position = close + 1;
            start = value.IndexOf("${", position, StringComparison.Ordinal);
        }

        if (failed)
        {
            return null;
        }

        result.Append(value, position, value.Length - position);
        return result.ToString();
    }

    private static bool TrySplit(string body, out string name, out string? fallback)
    {
        var separator = body.IndexOf(":-", StringComparison.Ordinal);
        name = separator < 0 ? body : body[..separator];
        fallback = separator < 0 ? null : body[(separator + 2)..];
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
