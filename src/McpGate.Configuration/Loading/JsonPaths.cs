namespace McpGate.Configuration.Loading;

/// <summary>
/// Builds the JSON paths used in error messages: <c>$.a.b[0]</c>, <c>$.roles.no-prod[0]</c>, <c>$.x['two words']</c>.
/// Hyphens stay in dot notation because role and alias names use them and operators read these paths.
/// </summary>
public static class JsonPaths
{
    public const string Root = "$";

    public static string Property(string parent, string name) =>
        IsIdentifier(name) ? $"{parent}.{name}" : $"{parent}['{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name[0] == '-')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}
