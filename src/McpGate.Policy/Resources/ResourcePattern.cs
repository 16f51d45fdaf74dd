namespace McpGate.Policy.Resources;

/// <summary>
/// A grant's resource glob, read the way requests are (<see cref="ResourceUri"/>): a pattern with a scheme is
/// replaced by its WHATWG-canonical form with its <c>*</c> wildcards kept literally, so <c>FILE:///public/*</c>
/// and <c>file://localhost/public/*</c> mean what <c>file:///public/*</c> means against canonical URIs.
/// </summary>
internal static class ResourcePattern
{
    /// <summary>
    /// The canonical pattern; <paramref name="pattern"/> itself when it has no scheme (a bare <c>*</c>, <c>*.md</c>),
    /// or null with <paramref name="problem"/> and <paramref name="fix"/> when it has a scheme but cannot be read as a URL
    /// with every <c>*</c> where it was written.
    /// </summary>
    public static string? Canonicalize(string pattern, out string? problem, out string? fix)
    {
        problem = null;
        fix = null;
        if (!HasScheme(pattern))
        {
            return pattern;
        }

        var canonical = WhatwgUrl.Canonicalize(pattern, out var needsIdna);
        if (canonical is null)
        {
            problem = needsIdna
                ? $"resource pattern \"{pattern}\" has a host that needs IDNA (non-ASCII or xn--), which McpGate does not read"
                : $"resource pattern \"{pattern}\" starts with a scheme but is not a URL (the WHATWG URL parser rejects it)";
            fix = needsIdna
                ? "write the host with ASCII letters only, or use a non-special scheme"
                : "write a valid URL such as \"file:///public/*\", or a plain glob without a scheme such as \"*\"";
            return null;
        }

        // Every * must survive parsing, and each must sit where the same pattern with a plain letter in its place
        // puts that letter: then no * was dropped by a dot segment, pulled into another component, or made up
        // (%2A in a host decodes to *).
        if (Count(canonical) != Count(pattern) ||
            !string.Equals(
                WhatwgUrl.Canonicalize(pattern.Replace('*', 'x')),
                canonical.Replace('*', 'x'),
                StringComparison.Ordinal))
        {
            problem = $"resource pattern \"{pattern}\" reads as the URL \"{canonical}\", which does not keep its * wildcards where they were written";
            fix = "put each * inside one path segment, host, query or fragment, and write no dot segment (. or ..) next to or after one";
            return null;
        }

        return canonical;
    }

    /// <summary>"scheme:" at the start (after the C0 controls and spaces the URL parser strips): the pattern is a URL.</summary>
    private static bool HasScheme(string pattern)
    {
        var text = pattern.AsSpan().TrimStart(PreprocessedAway);
        if (text.IsEmpty || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text[1..])
        {
            if (c == ':')
            {
                return true;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.' and not '\t' and not '\n' and not '\r')
            {
                return false;
            }
        }

        return false;
    }

    private static ReadOnlySpan<char> PreprocessedAway =>
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u0020";

    private static int Count(string text) => text.AsSpan().Count('*');
}
