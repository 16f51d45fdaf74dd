using System.Buffers;

namespace McpGate.Policy.Resources;

/// <summary>
/// The one reading of a resource URI the policy decides on: its WHATWG-canonical form (<see cref="WhatwgUrl"/>),
/// the form a TypeScript-SDK upstream looks the resource up by. The usual URI (<c>file:///public/readme.md</c>,
/// <c>memo://insights</c>) is canonical already; <see cref="IsCanonical"/> recognises it without parsing or allocating.
/// </summary>
internal static class ResourceUri
{
    // Printable ASCII that no component of a URL changes: no '%' (dot segments can hide in it), no '\\' (a slash in
    // special URLs), nothing any percent-encode set contains (space " # < > ' ` { } ^ |), no upper case handled below.
    private static readonly SearchValues<char> s_plain = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&()*+,;=:@/?");

    // ContainsAnyInRange('A', 'Z') allocated on every call here (.NET 10, Debug build); a SearchValues lookup does not.
    private static readonly SearchValues<char> s_upper = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    // A scheme as the parser leaves it: lower case already.
    private static readonly SearchValues<char> s_scheme = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789+-.");

    /// <summary>The canonical form of <paramref name="uri"/> (the same instance when already canonical), or null when it is not a URL.</summary>
    public static string? Canonicalize(string uri) => IsCanonical(uri) ? uri : WhatwgUrl.Canonicalize(uri);

    /// <summary>
    /// A conservative, allocation-free check that parsing would return <paramref name="uri"/> unchanged. False means
    /// only "parse it": anything unusual (upper case in the scheme or host, userinfo, a port, a dot segment, an
    /// IPv4-looking or IDNA host, a file host) takes the full parser.
    /// </summary>
    public static bool IsCanonical(string uri)
    {
        var text = uri.AsSpan();
        if (text.ContainsAnyExcept(s_plain) || text.Contains("/.", StringComparison.Ordinal))
        {
            return false;
        }

        var colon = text.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetterLower(text[0]) || text[..colon].ContainsAnyExcept(s_scheme))
        {
            return false;
        }

        var scheme = text[..colon];
        var rest = text[(colon + 1)..];
        var special = IsSpecial(scheme);
        if (!rest.StartsWith("//"))
        {
            // Special URLs always serialize with "//"; a non-special one without is an opaque path or "/path".
            return !special;
        }

        var authority = rest[2..];
        var end = authority.IndexOfAny('/', '?', '#');
        var host = end < 0 ? authority : authority[..end];
        if (host.ContainsAny('@', ':') || host.ContainsAny(s_upper))
        {
            return false;
        }

        if (!special)
        {
            return true;
        }

        // Special: the path must start right after the host ("http://h" serializes as "http://h/"), a file URL's
        // host must be empty (localhost is dropped), and a host that could be an IPv4 address or need IDNA is parsed.
        if (end < 0 || authority[end] != '/')
        {
            return false;
        }

        if (scheme.SequenceEqual("file"))
        {
            return host.IsEmpty;
        }

        return !host.IsEmpty && !host.Contains("..", StringComparison.Ordinal) && !host.Contains("xn--", StringComparison.Ordinal) &&
            !LastLabelStartsWithDigit(host) && !host.StartsWith('.');
    }


    private static bool IsSpecial(ReadOnlySpan<char> scheme) =>
        scheme.SequenceEqual("http") || scheme.SequenceEqual("https") || scheme.SequenceEqual("file") ||
        scheme.SequenceEqual("ws") || scheme.SequenceEqual("wss") || scheme.SequenceEqual("ftp");

    private static bool LastLabelStartsWithDigit(ReadOnlySpan<char> host)
    {
        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        var last = host[(host.LastIndexOf('.') + 1)..];
        return last.IsEmpty || char.IsAsciiDigit(last[0]);
    }
}
