using CsCheck;

namespace McpGate.Policy.Tests.Resources;

/// <summary>Inputs on which <c>WhatwgUrl</c> must read a URL exactly as node's <c>new URL()</c> does.</summary>
internal static class UrlCorpus
{
    /// <summary>Hand-written: every rule of the parser that a resource URI could use to walk out of a grant.</summary>
    public static readonly string[] Tricky =
    [
        // Tabs and newlines anywhere, leading/trailing C0 controls and spaces.
        "file:///public/.\t./secret/keys.txt", "file:///public/.\n./secret/keys.txt", "file:///public/.\r./secret",
        "fi\tle:///secret", "file:/\t//secret", "\t file:///secret/keys.txt \n", "\u0000\u001Ffile:///x\u0001 ",
        " file:///secret/keys.txt", "file:///a b ", "\u007Ffile:///x", "file:///x\u007F",
        "h\rt\ntp://EXAMPLE.com/a\tb", "mcp://host/a\t/\t..\t/b",

        // Case of scheme and host.
        "FILE:///secret/keys.txt", "File:///Secret", "HTTP://EXAMPLE.COM/A", "MCP://Host/Path", "Memo://X",
        "hTtPs://ExAmPlE.cOm:443/", "WS://a:80/", "wss://A:443", "FTP://a:21/b",

        // file URLs: localhost, one slash, none, backslashes, hosts.
        "file://localhost/secret/keys.txt", "file://LOCALHOST/secret", "file://localhost", "file://localhost:80/x",
        "file:/secret/keys.txt", "file:secret/keys.txt", "file:", "file:/", "file://", "file:///", "file:////x",
        "file:\\\\x\\y", "file:\\x", "file://\\secret", "file:/\\secret", "file://host/share/x", "file://HOST/x",
        "file://h%6Fst/x", "file://[::1]/x", "file://1.2.3.4/x", "file://0x7f.1/x", "file://localhost./x",
        "file://host:8080/x", "file://user@host/x", "file://a b/x", "file://%41/x",

        // Dot segments, encoded or not.
        "file:///public/../secret", "file:///public/%2e%2e/secret", "file:///public/%2E%2E/secret",
        "file:///public/.%2e/secret", "file:///public/%2e./secret", "file:///public/%2e%2E/secret",
        "file:///public/./x", "file:///public/%2e/x", "file:///public/%2E/x", "file:///..", "file:///../..",
        "file:///../secret", "file:///public/..", "file:///public/.", "file:///public/..%2f..%2fsecret",
        "file:///public/%2e%2e%2fsecret", "file:///public/...", "file:///public/.../x", "file:///public/..x/y",
        "file:///public/x..", "http://h/a/b/../../../../c", "http://h/./", "http://h/%2e", "http://h/a/%2e%2",
        "file:///public\\..\\secret", "http://h\\a\\..\\b", "mcp://h/a/../b", "mcp://h/a/%2e%2e/b", "mcp:/a/../b",
        "mcp:/../b", "mcp:/..//b", "mcp:/.//b", "mcp:/a/..//b", "mcp://h\\a\\..\\b", "test:opaque/../path",
        "test:/..", "test:/.", "test:/./..//x", "test:/a/b/../..", "x://h/..", "x:///a/..",
        "x://h/a/..", "x://h/../", "x://h/..?q", "x://h/..#f", "x://h/./..", "x://h/../..", "x:/.%2e", "x:/a/..//b",
        "x://h/%2e%2e", "x:/..?q", "file:///..?q", "http://h/..#f", "file:///C:/..?q",

        // Windows drive letters.
        "file:///C|/x", "file:///C:/x", "file:///c|/../x", "file:///C:/../../x", "file:C|/x", "file:C:/x",
        "file://C:/x", "file://C|/x", "file:/C|/x", "file:///C:/a/../..", "file:///C:", "file:///C|", "file:///C:/..",
        "file:///ab:/x", "file:///1:/x", "file:///C:x", "file:///x/C:/..", "file://host/C|/x", "http://h/C|/x",
        "mcp:///C|/x", "file:///C%3A/x", "file:///C%7C/x", "file:c:\\x\\..\\..",
        "file:///u:p/..", "file:///u:x/../..", "file:///uu:/..", "file:///u|p/..", "file:///u:p/a/../..", "file:///a/u:p/../..",
        "file:///1:p/..", "file://h/u:p/..", "file:///u%3Ap/..", "file:u:p/..", "file:///u:\\..",

        // node 20 copies a path verbatim when its first "/." starts an ordinary segment.
        "http://h/a/.e/../c", "http://h/a/.e/./b", "http://h/.e/../x", "http://h/.e/a/.e/../c", "http://h/a/..e/../c",
        "http://h/a/./.e/../c", "http://h//.e/../c", "http://h/a/.e/%2e%2e/c", "http://h/a/.e\\..\\c", "http://h/a b/.e/../c",
        "http://h/a/.e/../c?x/../y", "mcp://h/a/.e/../c", "mcp:/a/.e/../c", "mcp://h/a/.e\\..", "file:///a/.e/../c",
        "file:///C|/a/.e/../c", "file:///C:/a/.e/../c", "file:///C:x/.e/../y", "file://C:/x/.e/../y", "file:C|/a/.e/..",
        "file::2a/.|//.", "http://h/a/.e/..", "http://h/a/.e/.", "file:///public/.e/../../secret/keys.txt",

        // IPv4: decimal, hex, octal, short forms, out of range, "ends in a number".
        "http://127.0.0.1/", "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://2130706433/", "http://127.1/",
        "http://127.0.1/", "http://0x7f000001/", "http://017700000001/", "http://1.2.3.4.5/", "http://256.0.0.1/",
        "http://1.2.3.256/", "http://1.2.65536/", "http://1.16777216/", "http://4294967295/", "http://4294967296/",
        "http://0x/", "http://0x.0x.0x.0x/", "http://00/", "http://09/", "http://0x1g/", "http://1.2.3.4./",
        "http://1.2.3.4../", "http://1..2/", "http://.1/", "http://a.1/", "http://1.a/", "http://a.0x1/", "http://a.0xg/",
        "http://foo.09/", "http://1.2.3.09/", "http://999999999999999999999/", "http://0xffffffff/", "http://0x100000000/",
        "http://1.0x/", "http://%31.%32.%33.%34/", "mcp://1.2/", "mcp://0x7f.1/",

        // IPv6.
        "http://[::1]/", "http://[::]/", "http://[1:2:3:4:5:6:7:8]/", "http://[1:0:0:0:0:0:0:8]/", "http://[1::8]/",
        "http://[0:0:0:1:0:0:0:0]/", "http://[1:0:0:2:0:0:0:3]/", "http://[::ffff:1.2.3.4]/", "http://[::1.2.3.4]/",
        "http://[1:2:3:4:5:6:1.2.3.4]/", "http://[1:2:3:4:5:6:7:1.2.3.4]/", "http://[::1.2.3]/", "http://[::1.2.3.4.5]/",
        "http://[::01.2.3.4]/", "http://[::256.2.3.4]/", "http://[1:2]/", "http://[:1]/", "http://[1:]/",
        "http://[1::2::3]/", "http://[12345::]/", "http://[ABCD::EF]/", "http://[::1]:8080/", "http://[::1/",
        "http://::1]/", "http://[::1]x/", "http://[0::0:0]/", "http://[1:2:3:4:5:6:7:8:9]/", "http://[1:2:3:4:5:6:7::]/",
        "http://[::1:2:3:4:5:6:7]/", "mcp://[::1]/x", "mcp://[::1/x", "mcp://[zz]/x", "http://[%3A%3A1]/",

        // Userinfo.
        "http://user:pass@host/", "http://user@host/", "http://:pass@host/", "http://@host/", "http://a@b@host/",
        "http://a:b:c@host/", "http://us er@host/", "http://ü@host/", "http://a%40b@host/", "http://@/", "http://a@/",
        "mcp://user:pw@host/x", "mcp://@host/x", "mcp://u@/x", "http://a\\b@host/", "mcp://a\\b@host/", "http://a/b@c/",
        "http://a:@host/", "http://:@host/", "http://[::1]@host/", "file://u:p@host/x", "http://a;b=c@host/",

        // Ports.
        "http://h:80/", "http://h:0080/", "http://h:81/", "https://h:443/", "https://h:80/", "ws://h:80/", "wss://h:443/",
        "ftp://h:21/", "http://h:/", "http://h:65535/", "http://h:65536/", "http://h:0/", "http://h:00000000000080/",
        "http://h:1a/", "http://h:-1/", "http://h: 80/", "mcp://h:80/", "mcp://h:/", "mcp://h:0/x", "mcp://:80/",
        "http://:80/", "http://h:99999999999999999999/", "http://h:8\t0/", "http://h:80?x", "http://h:80#x", "mcp://h:1\\x",

        // Non-special schemes.
        "mcp://server/resource", "memo://insights", "memo://", "mcp://", "mcp:///x", "mcp:////x", "mcp:x", "mcp:/x",
        "mcp:", "urn:isbn:0451450523", "urn:ietf:rfc:2648", "urn:", "test:opaque/../path", "data:text/plain,hi",
        "javascript:alert(1)", "mailto:a@b", "git+ssh://h/x", "a.b-c+d://h/", "x-y://H/P", "mcp://h/p?q#f", "mcp://h?q",
        "mcp://h#f", "mcp:?q", "mcp:#f", "mcp:/?q", "mcp://H%41/x", "mcp://h%/x", "mcp://h^/x", "mcp://h|/x",
        "mcp://h x/", "mcp://a<b/", "mcp://ü/", "mcp://h/ü", "mcp:ü", "repo://owner/name/file.txt", "res:a b ?c",
        "test:a b", "test:a  b#c", "sc:\\../", "sc::", "sc:/:", "a:b:c", "1abc:x", "+x:y", "ab*c:x", "-:x", ":x", "",
        " ", "x", "/x", "//x", "../x", "file", "http", "http:", "http:/", "http://", "http:x", "http:/x", "http:\\\\x",
        "http:\\/x", "http:///x", "http:////x", "https:x",

        // Percent-encoding in every component.
        "file:///a b", "file:///a%20b", "file:///a%2", "file:///a%zz", "file:///%", "http://h/a\"b<c>d`e{f}g^h|i",
        "http://h/?a\"b<c>d'e`f{g}", "mcp://h/?a\"b<c>d'e`f", "http://h/#a\"b<c>d`e{f} g", "http://h/?a b#c d",
        "http://h/a?b?c#d#e", "http://h/a#b?c", "mcp://h/a%2Fb", "http://h/%41%2f", "http://h/~!$&'()*+,;=:@",
        "http://h/\u0000\u001F", "http://h/?\u0000", "http://h/#\u0000", "test:\u0000x", "test:x\u00A0y",

        // Non-ASCII in path, query, fragment, opaque hosts.
        "file:///ü/ß", "file:///日本", "http://h/?ü=ß", "http://h/#ü", "mcp://ü.h/日本?ü#ü", "file:///😀", "test:😀",
        "http://h/\uD800", "http://h/\uDC00x", "mcp://h\uD83D/x", "file:///\uFEFF", "http://h/\u200B",

        // Hosts: empty, forbidden, percent-encoded, case.
        "http:///x", "http://%/", "http://%25/", "http://a%2Fb/", "http://a%00b/", "http://a b/", "http://a<b/",
        "http://a^b/", "http://a|b/", "http://a_b/", "http://a*b/", "http://*.example.com/*", "http://a..b/",
        "http://.a/", "http://a./", "http://./", "http://../", "http://-a-/", "http://a%2Eb/", "http://A%42c/",
        "http://exa%6Dple.com/", "http://xn--abc/", "http://h#/", "http://h?/", "http://h\\x",
        "http://a#b@c/", "http://a?b@c/", "https://a:b@c:1/d?e#f", "http://\u007F/", "http://a\u007Fb/",
    ];

    /// <summary>Hosts that need IDNA: refused by WhatwgUrl, read by node; the known divergence.</summary>
    public static readonly string[] IdnaDivergences =
    [
        "http://ü/", "http://bücher.de/", "http://ＡＢＣ.com/", "http://Ü.de/", "file://ü/x", "http://xn--zca.de/",
        "http://%C3%BC/", "http://a。b/", "http://１.２.３.４/", "http://XN--zca.de/",
    ];

    private static readonly string[] Schemes =
        ["file:", "FILE:", "File:", "http:", "HTTPS:", "ws:", "ftp:", "mcp:", "memo:", "MCP:", "test:", "urn:", "x-y.z+1:"];

    private static readonly string[] Pieces =
    [
        "/", "//", "///", "\\", "\\\\", ".", "..", "%2e", "%2E", "%2e%2E", ".%2e", "%2e.", "%2f", "%5c", "%", "%4", "%zz",
        "%00", "%41", "\t", "\n", "\r", " ", "\u0000", "\u001F", "\u007F", "?", "#", "@", ":", "[", "]", "::", "|",
        "^", "'", "\"", "<", ">", "`", "{", "}", "C:", "C|", "c|", "localhost", "LocalHost", "public", "secret",
        "keys.txt", "host", "HOST", "example.COM", "a", "Z", "0", "1", "127", "0x7f", "0177", "255", "256",
        "4294967295", "65535", "80", "443", "21", "1.2.3.4", "::1", "[::1]", "[1::]", "::ffff:1.2.3.4", "user:pw@",
        "ü", "ß", "日本", "😀", "\u00A0", "\u200B", "*",
    ];

    private static readonly string[] HostPieces =
    [
        "", "a", "B", "h", "localhost", "LOCALHOST", ".", "..", "-", "_", "*", "%41", "%2e", "%25", "%", "0", "00", "1", "09",
        "0x", "0X1f", "0x7f", "0177", "127", "255", "256", "4294967295", "4294967296", "999999999999", "[::1]", "[::]",
        "[1:2:3:4:5:6:7:8]", "[::ffff:1.2.3.4]", "[1::", "]", "[", "ü", "xn--", "user@", "u:p@", "@", ":", ":80", ":0",
        ":65536", ":08", "\t", " ",
    ];

    private static readonly string[] PathPieces = ["", "/", "\\", "/x", "/.", "/..", "/%2e", "/%2E%2e", "/C|", "?q", "#f", "?'", "/ü"];

    /// <summary>Authority-shaped strings: scheme, "//", a host made of host-ish pieces (dots, numbers, brackets, ports), a path.</summary>
    private static readonly Gen<string> Authority =
        Gen.Select(
            Gen.OneOf(Schemes),
            Gen.OneOf("//", "///", "/", "\\\\", ""),
            Gen.OneOf(HostPieces).Array[1, 5],
            Gen.OneOf(PathPieces).Array[0, 3],
            (scheme, slashes, host, path) => scheme + slashes + string.Join(".", host) + string.Concat(path));

    // Declared before Generated: static initialisers run in textual order.
    private static readonly Gen<string> Pieced =
        Gen.Select(
            Gen.Frequency((9, Gen.OneOf(Schemes)), (1, Gen.Const(string.Empty))),
            Gen.OneOf(Pieces).Array[0, 12],
            Gen.Frequency((4, Gen.Const(string.Empty)), (1, Gen.OneOf(" ", "\t", "\u0001", "\u001F "))),
            (scheme, pieces, edge) => edge + scheme + string.Concat(pieces) + edge);

    /// <summary>Short paths of dots, slashes, backslashes, drive letters and encoded dots (found node 20's dot-segment quirks).</summary>
    private static readonly Gen<string> PathIsh =
        Gen.Select(
            Gen.OneOf("file:", "file:///", "http://h", "mcp:", "mcp://h", "x:/", "file://h"),
            Gen.String[Gen.Char["aC:/\\.%2eE|?#"], 0, 16],
            (prefix, path) => prefix + path);

    /// <summary>URL-ish strings: random pieces after a scheme, an authority built from host-ish pieces, or a dotted path.</summary>
    public static readonly Gen<string> Generated = Gen.Frequency((2, Pieced), (1, Authority), (1, PathIsh));
}
