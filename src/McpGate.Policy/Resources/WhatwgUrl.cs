using System.Globalization;
using System.Text;

namespace McpGate.Policy.Resources;

/// <summary>
/// The URL Standard's "basic URL parser" for absolute URLs (no base URL, no state override) and the "URL serializer":
/// <see cref="Canonicalize"/> returns what <c>new URL(input).href</c> returns in a browser or in node, or null where
/// <c>new URL(input)</c> throws. MCP upstreams built on the TypeScript SDK (and server-filesystem) read resource URIs
/// this way, so a policy decided on any other reading of the text could be walked around (tabs inside a dot segment,
/// <c>FILE:</c>, <c>file://localhost/</c>, <c>%2e%2e</c>, backslashes). Written state by state after the standard;
/// the state and algorithm names in comments are the standard's. Validation errors that do not fail are ignored.
/// Where node 20's parser (ada 2.9.2) departs from the standard, this follows node, the upstream whose reading counts
/// (three places, all about dot segments, marked "node 20"); <c>WhatwgUrlDifferentialTests</c> holds it to node input
/// by input.
/// </summary>
internal sealed class WhatwgUrl
{
    private enum State
    {
        SchemeStart,
        Scheme,
        SpecialAuthoritySlashes,
        SpecialAuthorityIgnoreSlashes,
        PathOrAuthority,
        Authority,
        Host,
        Port,
        File,
        FileSlash,
        FileHost,
        PathStart,
        Path,
        OpaquePath,
        Query,
        Fragment,
    }

    private const int Eof = -1;

    private readonly int[] _input;
    private readonly StringBuilder _buffer = new();
    private readonly List<string> _path = [];
    private string _scheme = string.Empty;
    private string _username = string.Empty;
    private string _password = string.Empty;
    private string? _host;
    private int? _port;
    private string? _opaquePath;
    private string? _query;
    private string? _fragment;
    private bool _needsIdna;
    private bool? _pathVerbatim;

    private WhatwgUrl(int[] input) => _input = input;

    private bool IsSpecial => SpecialSchemes.IsSpecial(_scheme);

    /// <summary>The serialized URL (<c>href</c>) of <paramref name="input"/>, or null when it is not a valid absolute URL.</summary>
    public static string? Canonicalize(string input) => Canonicalize(input, out _);

    /// <summary>
    /// As <see cref="Canonicalize(string)"/>; <paramref name="needsIdna"/> says that the failure was the refusal of a
    /// host that needs IDNA (the one known divergence, see <see cref="WhatwgHost.DomainToAscii"/>).
    /// </summary>
    public static string? Canonicalize(string input, out bool needsIdna)
    {
        ArgumentNullException.ThrowIfNull(input);
        var url = new WhatwgUrl(Preprocess(input));
        var parsed = url.Run();
        needsIdna = url._needsIdna;
        return parsed ? url.Serialize() : null;
    }

    /// <summary>
    /// The standard's input preprocessing, on code points: strip leading and trailing C0 control or space, remove
    /// every ASCII tab or newline. A lone surrogate becomes U+FFFD, as the USVString conversion of <c>new URL()</c> does.
    /// </summary>
    private static int[] Preprocess(string input)
    {
        var start = 0;
        var end = input.Length;
        while (start < end && input[start] <= ' ')
        {
            start++;
        }

        while (end > start && input[end - 1] <= ' ')
        {
            end--;
        }

        var codePoints = new List<int>(end - start);
        for (var i = start; i < end; i++)
        {
            var c = input[i];
            if (c is '\t' or '\n' or '\r')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < end && char.IsLowSurrogate(input[i + 1]))
            {
                codePoints.Add(char.ConvertToUtf32(c, input[i + 1]));
                i++;
            }
            else
            {
                codePoints.Add(char.IsSurrogate(c) ? 0xFFFD : c);
            }
        }

        return [.. codePoints];
    }

    private bool Run()
    {
        var state = State.SchemeStart;
        bool atSignSeen = false, insideBrackets = false, passwordTokenSeen = false;
        for (var pointer = 0; ; pointer++)
        {
            var c = pointer < _input.Length ? _input[pointer] : Eof;
            switch (state)
            {
                case State.SchemeStart:
                    // No base URL: input that does not start with a scheme is a failure ("no scheme state").
                    if (!IsAsciiAlpha(c))
                    {
                        return false;
                    }

                    _buffer.Append(char.ToLowerInvariant((char)c));
                    state = State.Scheme;
                    break;

                case State.Scheme:
                    if (IsAsciiAlphanumeric(c) || c is '+' or '-' or '.')
                    {
                        _buffer.Append(char.ToLowerInvariant((char)c));
                    }
                    else if (c == ':')
                    {
                        _scheme = _buffer.ToString();
                        _buffer.Clear();
                        if (_scheme == "file")
                        {
                            state = State.File;
                        }
                        else if (IsSpecial)
                        {
                            state = State.SpecialAuthoritySlashes;
                        }
                        else if (At(pointer + 1) == '/')
                        {
                            state = State.PathOrAuthority;
                            pointer++;
                        }
                        else
                        {
                            _opaquePath = string.Empty;
                            state = State.OpaquePath;
                        }
                    }
                    else
                    {
                        return false;
                    }

                    break;

                case State.SpecialAuthoritySlashes:
                    state = State.SpecialAuthorityIgnoreSlashes;
                    if (c == '/' && At(pointer + 1) == '/')
                    {
                        pointer++;
                    }
                    else
                    {
                        pointer--;
                    }

                    break;

                case State.SpecialAuthorityIgnoreSlashes:
                    if (c is not '/' and not '\\')
                    {
                        state = State.Authority;
                        pointer--;
                    }

                    break;

                case State.PathOrAuthority:
                    if (c == '/')
                    {
                        state = State.Authority;
                    }
                    else
                    {
                        state = State.Path;
                        pointer--;
                    }

                    break;

                case State.Authority:
                    if (c == '@')
                    {
                        if (atSignSeen)
                        {
                            _buffer.Insert(0, "%40");
                        }

                        atSignSeen = true;
                        AppendUserinfo(ref passwordTokenSeen);
                        _buffer.Clear();
                    }
                    else if (c is Eof or '/' or '?' or '#' || (IsSpecial && c == '\\'))
                    {
                        if (atSignSeen && _buffer.Length == 0)
                        {
                            return false;
                        }

                        // Back up over the buffer: what looked like userinfo is the host (and port).
                        pointer -= CodePointLength(_buffer) + 1;
                        _buffer.Clear();
                        state = State.Host;
                    }
                    else
                    {
                        AppendCodePoint(_buffer, c);
                    }

                    break;

                case State.Host:
                    if (c == ':' && !insideBrackets)
                    {
                        if (_buffer.Length == 0)
                        {
                            return false;
                        }

                        if (!ParseHost())
                        {
                            return false;
                        }

                        state = State.Port;
                    }
                    else if (c is Eof or '/' or '?' or '#' || (IsSpecial && c == '\\'))
                    {
                        pointer--;
                        if (IsSpecial && _buffer.Length == 0)
                        {
                            return false;
                        }

                        if (!ParseHost())
                        {
                            return false;
                        }

                        state = State.PathStart;
                    }
                    else
                    {
                        if (c == '[')
                        {
                            insideBrackets = true;
                        }
                        else if (c == ']')
                        {
                            insideBrackets = false;
                        }

                        AppendCodePoint(_buffer, c);
                    }

                    break;

                case State.Port:
                    if (c is >= '0' and <= '9')
                    {
                        _buffer.Append((char)c);
                    }
                    else if (c is Eof or '/' or '?' or '#' || (IsSpecial && c == '\\'))
                    {
                        if (_buffer.Length != 0)
                        {
                            // Leading zeros are allowed; more than five significant digits is always above 65535.
                            var digits = _buffer.ToString().TrimStart('0');
                            if (digits.Length > 5)
                            {
                                return false;
                            }

                            var port = digits.Length == 0 ? 0 : int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
                            if (port > 65535)
                            {
                                return false;
                            }

                            _port = port == SpecialSchemes.DefaultPort(_scheme) ? null : port;
                            _buffer.Clear();
                        }

                        state = State.PathStart;
                        pointer--;
                    }
                    else
                    {
                        return false;
                    }

                    break;

                case State.File:
                    _scheme = "file";
                    _host = string.Empty;
                    if (c is '/' or '\\')
                    {
                        state = State.FileSlash;
                    }
                    else
                    {
                        state = State.Path;
                        pointer--;
                    }

                    break;

                case State.FileSlash:
                    if (c is '/' or '\\')
                    {
                        state = State.FileHost;
                    }
                    else
                    {
                        state = State.Path;
                        pointer--;
                    }

                    break;

                case State.FileHost:
                    if (c is Eof or '/' or '\\' or '?' or '#')
                    {
                        pointer--;
                        if (IsWindowsDriveLetter(_buffer))
                        {
                            // The Windows drive letter quirk: file://C:/x is the path /C:/x; the buffer is kept
                            // and becomes the path's first segment.
                            state = State.Path;
                        }
                        else if (_buffer.Length == 0)
                        {
                            _host = string.Empty;
                            state = State.PathStart;
                        }
                        else
                        {
                            if (!ParseHost())
                            {
                                return false;
                            }

                            if (_host == "localhost")
                            {
                                _host = string.Empty;
                            }

                            state = State.PathStart;
                        }
                    }
                    else
                    {
                        AppendCodePoint(_buffer, c);
                    }

                    break;

                case State.PathStart:
                    if (IsSpecial)
                    {
                        state = State.Path;
                        if (c is not '/' and not '\\')
                        {
                            pointer--;
                        }
                    }
                    else if (c is '?' or '#')
                    {
                        state = EnterQueryOrFragment(c)!.Value;
                    }
                    else if (c != Eof)
                    {
                        state = State.Path;
                        if (c != '/')
                        {
                            pointer--;
                        }
                    }

                    break;

                case State.Path:
                    _pathVerbatim ??= IsNode20VerbatimPath(pointer);
                    if (c is Eof or '/' or '?' or '#' || (IsSpecial && c == '\\'))
                    {
                        var slash = c == '/' || (IsSpecial && c == '\\');
                        if (_pathVerbatim == true)
                        {
                            _path.Add(_buffer.ToString());
                        }
                        else if (IsDoubleDotSegment(_buffer))
                        {
                            // node 20 (ada 2.9.2) departs from the standard here, and node is the upstream whose
                            // reading counts: a final ".." in a non-special URL whose path is already empty leaves
                            // it empty (x://h/.. is x://h, not x://h/).
                            var wasEmpty = _path.Count == 0;
                            ShortenPath();
                            if (!slash && (IsSpecial || !wasEmpty))
                            {
                                _path.Add(string.Empty);
                            }
                        }
                        else if (IsSingleDotSegment(_buffer))
                        {
                            if (!slash)
                            {
                                _path.Add(string.Empty);
                            }
                        }
                        else
                        {
                            if (_scheme == "file" && _path.Count == 0 && IsWindowsDriveLetter(_buffer))
                            {
                                _buffer[1] = ':';
                            }

                            _path.Add(_buffer.ToString());
                        }

                        _buffer.Clear();
                        state = EnterQueryOrFragment(c) ?? state;
                    }
                    else
                    {
                        PercentEncoding.Append(_buffer, c, PercentEncodeSet.Path);
                    }

                    break;

                case State.OpaquePath:
                    // The opaque path collects in the buffer and is taken from it where it ends.
                    if (c is '?' or '#' or Eof)
                    {
                        _opaquePath = _buffer.ToString();
                        _buffer.Clear();
                        state = EnterQueryOrFragment(c) ?? state;
                    }
                    else
                    {
                        PercentEncoding.Append(_buffer, c, PercentEncodeSet.C0Control);
                    }

                    break;

                case State.Query:
                    if (c is '#' or Eof)
                    {
                        // The buffer holds raw code points; the query is their UTF-8, percent-encoded.
                        var set = IsSpecial ? PercentEncodeSet.SpecialQuery : PercentEncodeSet.Query;
                        var encoded = new StringBuilder(_buffer.Length);
                        ForEachCodePoint(_buffer, codePoint => PercentEncoding.Append(encoded, codePoint, set));
                        _query += encoded.ToString();
                        _buffer.Clear();
                        if (c == '#')
                        {
                            _fragment = string.Empty;
                            state = State.Fragment;
                        }
                    }
                    else
                    {
                        AppendCodePoint(_buffer, c);
                    }

                    break;

                case State.Fragment:
                    if (c != Eof)
                    {
                        PercentEncoding.Append(_buffer, c, PercentEncodeSet.Fragment);
                    }
                    else
                    {
                        _fragment += _buffer.ToString();
                        _buffer.Clear();
                    }

                    break;
            }

            // "If after a run pointer points to the EOF code point" the machine stops; a state that backed up
            // (pointer--) sees EOF again in its next state.
            if (pointer >= _input.Length)
            {
                return true;
            }
        }
    }

    /// <summary>The "URL serializer" (<c>href</c>).</summary>
    private string Serialize()
    {
        var output = new StringBuilder(_scheme.Length + 16);
        output.Append(_scheme).Append(':');
        if (_host is not null)
        {
            output.Append("//");
            if (_username.Length != 0 || _password.Length != 0)
            {
                output.Append(_username);
                if (_password.Length != 0)
                {
                    output.Append(':').Append(_password);
                }

                output.Append('@');
            }

            output.Append(_host);
            if (_port is { } port)
            {
                output.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (_opaquePath is not null)
        {
            output.Append(_opaquePath);
        }
        else
        {
            // Without "/." a path starting with an empty segment would serialize as "scheme://…" and be re-read
            // as an authority.
            if (_host is null && _path.Count > 1 && _path[0].Length == 0)
            {
                output.Append("/.");
            }

            foreach (var segment in _path)
            {
                output.Append('/').Append(segment);
            }
        }

        if (_query is not null)
        {
            output.Append('?').Append(_query);
        }

        if (_fragment is not null)
        {
            output.Append('#').Append(_fragment);
        }

        return output.ToString();
    }

    /// <summary>A "?" or "#" that ends a path starts an empty query or fragment; returns its state, or null for any other c.</summary>
    private State? EnterQueryOrFragment(int c)
    {
        switch (c)
        {
            case '?':
                _query = string.Empty;
                return State.Query;
            case '#':
                _fragment = string.Empty;
                return State.Fragment;
            default:
                return null;
        }
    }

    private bool ParseHost()
    {
        var host = WhatwgHost.Parse(_buffer.ToString(), isOpaque: !IsSpecial, out _needsIdna);
        _buffer.Clear();
        _host = host;
        return host is not null;
    }

    /// <summary>Authority state on "@": the buffer so far is userinfo; the first ":" splits username from password.</summary>
    private void AppendUserinfo(ref bool passwordTokenSeen)
    {
        var username = new StringBuilder(_username);
        var password = new StringBuilder(_password);
        var seen = passwordTokenSeen;
        ForEachCodePoint(_buffer, codePoint =>
        {
            if (codePoint == ':' && !seen)
            {
                seen = true;
                return;
            }

            PercentEncoding.Append(seen ? password : username, codePoint, PercentEncodeSet.Userinfo);
        });
        passwordTokenSeen = seen;
        _username = username.ToString();
        _password = password.ToString();
    }

    /// <summary>
    /// node 20 (ada 2.9.2) copies some paths verbatim, dot segments and all, where the standard removes them: a path
    /// whose only notable characters are dots, that does not start with ".", and whose first "/." is followed by
    /// anything but ".", "/" or its end (http://h/a/.e/../c stays as it is). The upstream then resolves those
    /// segments itself, so the policy must decide what it will see: this reading, and (ResourceUriForms) the
    /// dot-segment-free one.
    /// </summary>
    private bool IsNode20VerbatimPath(int pointer)
    {
        var input = new StringBuilder(_buffer.ToString());
        for (var i = pointer; i < _input.Length && _input[i] is not '?' and not '#'; i++)
        {
            AppendCodePoint(input, _input[i]);
        }

        var text = input.ToString();
        var dot = false;
        foreach (var c in text)
        {
            if (c is '\\' or '%' || (c != '.' && PercentEncoding.Contains(PercentEncodeSet.Path, c)))
            {
                return false;
            }

            dot |= c == '.';
        }

        if (!dot || text[0] == '.' || (_scheme == "file" && StartsWithWindowsDriveLetter(text)))
        {
            return false;
        }

        var slashDot = text.IndexOf("/.", StringComparison.Ordinal);
        return slashDot >= 0 && slashDot + 2 < text.Length && text[slashDot + 2] is not '.' and not '/';
    }

    private static bool StartsWithWindowsDriveLetter(string text) =>
        text.Length >= 2 && IsAsciiAlpha(text[0]) && text[1] is ':' or '|' &&
        (text.Length == 2 || text[2] is '/' or '\\' or '?' or '#');

    /// <summary>"Shorten a URL's path": never removes a file URL's lone normalized Windows drive letter.</summary>
    private void ShortenPath()
    {
        // node 20 (ada 2.9.2) keeps a lone first segment that merely starts with a normalized drive letter
        // (file:///u:p/.. is file:///u:p/, where the standard says file:///); node's reading is the one that counts.
        if (_scheme == "file" && _path.Count == 1 && StartsWithNormalizedWindowsDriveLetter(_path[0]))
        {
            return;
        }

        if (_path.Count > 0)
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private int At(int index) => index < _input.Length ? _input[index] : Eof;

    private static bool IsAsciiAlpha(int c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    private static bool IsAsciiAlphanumeric(int c) => IsAsciiAlpha(c) || c is >= '0' and <= '9';

    private static bool IsWindowsDriveLetter(StringBuilder text) =>
        text.Length == 2 && IsAsciiAlpha(text[0]) && text[1] is ':' or '|';

    private static bool StartsWithNormalizedWindowsDriveLetter(string text) =>
        text.Length >= 2 && IsAsciiAlpha(text[0]) && text[1] == ':';

    /// <summary>"." or "%2e", ASCII case-insensitive (the buffer is already percent-encoded, which leaves these alone).</summary>
    private static bool IsSingleDotSegment(StringBuilder text) =>
        text.Length switch
        {
            1 => text[0] == '.',
            3 => IsEncodedDot(text, 0),
            _ => false,
        };

    /// <summary>"..", ".%2e", "%2e." or "%2e%2e", ASCII case-insensitive.</summary>
    private static bool IsDoubleDotSegment(StringBuilder text) =>
        text.Length switch
        {
            2 => text[0] == '.' && text[1] == '.',
            4 => (text[0] == '.' && IsEncodedDot(text, 1)) || (IsEncodedDot(text, 0) && text[3] == '.'),
            6 => IsEncodedDot(text, 0) && IsEncodedDot(text, 3),
            _ => false,
        };

    private static bool IsEncodedDot(StringBuilder text, int index) =>
        text[index] == '%' && text[index + 1] == '2' && (text[index + 2] | 0x20) == 'e';

    private static void AppendCodePoint(StringBuilder buffer, int codePoint)
    {
        if (codePoint < 0x10000)
        {
            buffer.Append((char)codePoint);
        }
        else
        {
            buffer.Append(char.ConvertFromUtf32(codePoint));
        }
    }

    private static int CodePointLength(StringBuilder buffer)
    {
        var length = 0;
        for (var i = 0; i < buffer.Length; i++)
        {
            if (!char.IsLowSurrogate(buffer[i]))
            {
                length++;
            }
        }

        return length;
    }

    private static void ForEachCodePoint(StringBuilder buffer, Action<int> action)
    {
        for (var i = 0; i < buffer.Length; i++)
        {
            var c = buffer[i];
            if (char.IsHighSurrogate(c) && i + 1 < buffer.Length)
            {
                action(char.ConvertToUtf32(c, buffer[i + 1]));
                i++;
            }
            else
            {
                action(c);
            }
        }
    }
}

/// <summary>The special schemes and their default ports ("Scheme" in the URL Standard).</summary>
internal static class SpecialSchemes
{
    public static bool IsSpecial(string scheme) => scheme is "ftp" or "file" or "http" or "https" or "ws" or "wss";

    public static int? DefaultPort(string scheme) => scheme switch
    {
        "ftp" => 21,
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        _ => null,
    };
}
