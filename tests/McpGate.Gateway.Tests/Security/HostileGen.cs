using System.Globalization;
using System.Text;
using CsCheck;

namespace McpGate.Gateway.Tests.Security;

/// <summary>
/// CsCheck generators for hostile MCP POSTs: real and look-alike methods and targets, every string and key optionally
/// \u-escaped, duplicate members at every level, case-variant keys, batches mixing allowed and denied calls, huge and
/// deeply nested params, byte-level damage (invalid UTF-8, BOM, truncation, trailing data), wrong content types and
/// encodings, Mcp-Method/Mcp-Name headers that agree or not, and other subjects' session ids.
/// </summary>
internal static class HostileGen
{
    public static readonly string[] AllowedTools = ["read_file", "list_files", "web_search", "get_weather"];
    public static readonly string[] DeniedTools = ["delete_file", "write_file", "ask_user", "summarize_with_llm"];

    /// <summary>Names that render or normalise like a real tool but are not it; the upstream must never run a real tool for them.</summary>
    public static readonly string[] LookAlikeTools =
    [
        "delete_fil\u0435", "\u0501elete_file", "delete\uFF3Ffile", "delete_file\u200B", "\uFEFFdelete_file", "delete_file ",
        " delete_file", "Delete_file", "DELETE_FILE", "delete_file\u0000", "delete_file\n", "delete_f\u0131le",
        "delete_\uFB01le", "delete_file\u0301", "de\u00ADlete_file", "files__delete_file", "files/delete_file",
        "read_file\u0000delete_file", "read_file/../delete_file", "\uFF52ead_file", "write_file\u200D", "ask_user ",
        "read_file,delete_file", "delete_file\uD800", "*", "", "delete_*",
    ];

    public static readonly string[] Methods =
    [
        "tools/call", "resources/read", "resources/subscribe", "prompts/get", "tools/list", "prompts/list",
        "resources/list", "resources/templates/list", "initialize", "ping", "completion/complete",
        "notifications/initialized", "resources/unsubscribe", "logging/setLevel", "server/discover",
    ];

    public static readonly string[] LookAlikeMethods =
    [
        "Tools/call", "TOOLS/CALL", "tools/call ", " tools/call", "tools\uFF0Fcall", "tools/call\u0000", "tools/cal\u0131",
        "tools//call", "tools/call/", "tools.call", "tools/Call", "resources/READ", "prompts/get\u200B", "tools/call\n",
        "rpc.tools/call", "tools/calls",
    ];

    public static readonly string[] AllowedUris = ["file:///public/readme.md", "file:///projects/demo/notes.md", "file:///public/notes.txt"];

    public static readonly string[] DeniedUris =
    [
        "file:///secret/keys.txt", "file:///public/../secret/keys.txt", "file:///public/%2e%2e/secret/keys.txt",
        "file:///projects/x/../../secret/keys.txt", "FILE:///secret/keys.txt", "file:///secret/keys.txt#",
        "file:///secret/keys.txt?x=1", "file:////secret/keys.txt", "file://localhost/secret/keys.txt",
        "file:///public/..%2fsecret/keys.txt", "file:///secret/keys.txt\u0000", "file:///public\\..\\secret\\keys.txt",
        "file:///projects/../secret/keys.txt", "file:///secret/./keys.txt", "file:///SECRET/keys.txt",
        "file:///public/.\t./secret/keys.txt", "file:///public/%2e\n%2E/secret/keys.txt", " file:///secret/keys.txt",
        "\u001Ffile:///public/../secret/keys.txt", "file:/secret/keys.txt", "file:secret/keys.txt", "fi\rle:///secret/keys.txt",
    ];

    public static readonly string[] Prompts = ["code_review", "admin_prompt", "Admin_prompt", "admin_prompt ", "admin_promp\u0442", "code_review\u0000"];

    private static readonly string[] s_contentTypes =
    [
        "application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "application/json-patch+json",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "application/json, text/plain",
        "application/json; charset=utf-16", "text/json",
    ];

    private static readonly string[] s_encodings = ["identity", "gzip", "br", "identity, gzip", "IDENTITY", "deflate", ""];

    private static readonly byte[][] s_badBytes =
    [
        [0xC0, 0xAF], [0xFF], [0xED, 0xA0, 0x80], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE0, 0x80, 0xAF], [0xFE], [0xC3],
        [0x00], [0xEF, 0xBB, 0xBF],
    ];

    private static readonly string[] s_keyVariants = ["Method", "METHOD", "Params", "PARAMS", "Name", "NAME", "Uri", "URI", "params ", " method", "Id"];

    public static readonly Gen<string> ToolName = Gen.Frequency(
        (4, Gen.OneOf(AllowedTools)),
        (4, Gen.OneOf(DeniedTools)),
        (3, Gen.OneOf(LookAlikeTools)),
        (1, Gen.String[Gen.Char["a_z/\\.\u0435\u200B\0 "], 0, 12]));

    public static readonly Gen<string> Uri = Gen.Frequency(
        (2, Gen.OneOf(AllowedUris)),
        (3, Gen.OneOf(DeniedUris)),
        (1, Gen.String[Gen.Char["a-z/:.%"], 0, 30]));

    public static readonly Gen<string> Prompt = Gen.OneOf(Prompts);

    public static readonly Gen<string> MethodName = Gen.Frequency(
        (8, Gen.Const("tools/call")),
        (3, Gen.OneOf("resources/read", "resources/subscribe", "prompts/get")),
        (6, Gen.OneOf(Methods)),
        (2, Gen.OneOf(LookAlikeMethods)),
        (1, Gen.String[Gen.Char["a-z/"], 0, 16]));

    /// <summary>A JSON string literal for <paramref name="value"/>: raw, fully \u-escaped, or escaped here and there.</summary>
    public static Gen<string> Literal(string value) =>
        Gen.Int[0, 5].SelectMany(mode => mode switch
        {
            0 => Gen.Const(Quote(value, static _ => true)),
            1 => Gen.Bool.Array[value.Length].Select(mask => Quote(value, i => mask[i])),
            _ => Gen.Const(Quote(value, static _ => false)),
        });

    /// <summary>A message: (JSON text, the method, the target it names). Members may repeat, keys may be escaped.</summary>
    public static readonly Gen<(string Json, string Method, string? Target)> Message =
        from method in MethodName
        from target in TargetFor(method)
        from paramsJson in Params(method, target)
        from methodLiteral in Literal(method)
        from id in Id
        from jsonrpc in Gen.Frequency((12, Gen.Const("\"2.0\"")), (1, Gen.OneOf("\"1.0\"", "2.0", "null", "\"2.0 \"", "\"2\\u002e0\"")))
        from members in Gen.Int[0, 25].SelectMany(shape => BuildMembers(shape, methodLiteral, id, jsonrpc, paramsJson))
        select ("{" + members + "}", method, target);

    /// <summary>A whole body: one message, or a batch mixing several.</summary>
    public static readonly Gen<(string Json, string Method, string? Target)> BodyText = Gen.Frequency(
        (10, Message),
        (2, Message.Array[1, 4].Select(ms => ("[" + string.Join(",", ms.Select(m => m.Json)) + "]", ms[0].Method, ms[0].Target))),
        (1, Gen.OneOf("[]", "[[]]", "{}", "null", "\"tools/call\"", "[1,2]", "", " ", "{\"jsonrpc\":\"2.0\"}", "[{}]")
            .Select(text => (text, "", (string?)null))));

    /// <summary>The UTF-8 body, sometimes damaged at the byte level.</summary>
    public static readonly Gen<(byte[] Body, string Method, string? Target)> Body =
        from text in BodyText
        from damage in Gen.Int[0, 19]
        from at in Gen.Double[0, 1]
        from bad in Gen.OneOf(s_badBytes)
        select (Damage(Encoding.UTF8.GetBytes(text.Json), damage, at, bad), text.Method, text.Target);

    /// <summary>
    /// A well-formed call the upstream would execute if it got it (its own session in 2025 terms, or a stateless
    /// 2026-07-28 call with _meta and matching headers): look-alike and escaped targets are most dangerous here.
    /// </summary>
    public static readonly Gen<HostileRequest> ExecutableCall =
        from caller in Gen.Frequency((4, Gen.Const(Caller.Bob)), (1, Gen.Const(Caller.Carol)))
        from method in Gen.Frequency((6, Gen.Const("tools/call")), (2, Gen.Const("resources/read")), (1, Gen.Const("prompts/get")))
        from target in TargetFor(method)
        from methodLiteral in Literal(method)
        from targetLiteral in Literal(target!)
        from stateless in Gen.Bool
        from id in Gen.Int[1, 1_000_000]
        let key = method == "resources/read" ? "uri" : "name"
        let meta = stateless ? "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"},\"io.modelcontextprotocol/clientCapabilities\":{}}," : ""
        let body = "{\"jsonrpc\":\"2.0\",\"id\":" + id.ToString(CultureInfo.InvariantCulture) + ",\"method\":" + methodLiteral
            + ",\"params\":{" + meta + "\"" + key + "\":" + targetLiteral
            + ",\"arguments\":{\"path\":\"/public/notes.txt\",\"query\":\"x\",\"city\":\"Oslo\",\"code\":\"x\"}}}"
        select new HostileRequest(
            caller,
            Encoding.UTF8.GetBytes(body),
            "application/json",
            null,
            stateless ? SessionChoice.None : SessionChoice.Own,
            stateless ? "2026-07-28" : "2025-11-25",
            stateless ? [("Mcp-Method", method), ("Mcp-Name", target!)] : []);

    /// <summary>Everything: one executable call in three, the rest free-form hostile requests.</summary>
    public static Gen<HostileRequest> Request => Gen.Frequency((1, ExecutableCall), (2, FreeForm));

    private static readonly Gen<HostileRequest> FreeForm =
        from caller in Gen.Frequency((14, Gen.Const(Caller.Bob)), (3, Gen.Const(Caller.Carol)), (1, Gen.Const(Caller.Anonymous)), (1, Gen.Const(Caller.WrongToken)))
        from body in Body
        from contentType in Gen.Frequency((16, Gen.Const<string?>("application/json")), (2, Gen.OneOf(s_contentTypes).Select(static t => (string?)t)), (1, Gen.Const((string?)null)))
        from encoding in Gen.Frequency((18, Gen.Const((string?)null)), (2, Gen.OneOf(s_encodings).Select(static e => (string?)e)))
        from session in Gen.Frequency((10, Gen.Const(SessionChoice.Own)), (8, Gen.Const(SessionChoice.None)), (2, Gen.Const(SessionChoice.Alices)), (1, Gen.Const(SessionChoice.Invented)))
        from protocol in session == SessionChoice.None
            ? Gen.Frequency((4, Gen.Const((string?)"2026-07-28")), (1, Gen.OneOf<string?>(null, "2025-11-25")))
            : Gen.Frequency((4, Gen.Const((string?)"2025-11-25")), (1, Gen.OneOf<string?>(null, "2026-07-28")))
        from headers in McpHeaderSet(body.Method, body.Target)
        from verb in Gen.Frequency((24, Gen.Const("POST")), (1, Gen.OneOf("GET", "DELETE")))
        select new HostileRequest(caller, body.Body, contentType, encoding, session, protocol, headers) { Verb = body.Body.Length == 0 ? "POST" : verb };

    private static Gen<string> Id => Gen.Frequency(
        (10, Gen.Int[0, 1_000_000].Select(static i => i.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.String[Gen.Char["a-z0-9"], 0, 8].Select(static s => "\"" + s + "\"")),
        (1, Gen.OneOf("null", "1.0", "-0", "1e3", "{}", "[]", "true", "\"\\u0031\"", "99999999999999999999999", "\"\\uD800\"")));

    private static Gen<string?> TargetFor(string method) => method switch
    {
        "tools/call" => ToolName.Select(static n => (string?)n),
        "prompts/get" => Prompt.Select(static n => (string?)n),
        "resources/read" or "resources/subscribe" or "resources/unsubscribe" => Uri.Select(static u => (string?)u),
        _ => Gen.Frequency((3, Gen.Const((string?)null)), (1, ToolName.Select(static n => (string?)n))),
    };

    private static Gen<string> Params(string method, string? target) =>
        from shape in Gen.Int[0, 35]
        from meta in Gen.Frequency((3, Gen.Const("\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"},\"io.modelcontextprotocol/clientCapabilities\":{}},")), (1, Gen.Const("")))
        from targetLiteral in Literal(target ?? "delete_file")
        from nameKey in Literal(method.StartsWith("resources/", StringComparison.Ordinal) ? "uri" : "name")
        from duplicate in ToolName.SelectMany(Literal)
        from uriLiteral in Uri.SelectMany(Literal)
        from arguments in Arguments
        select (shape switch
        {
            // Absent params, or params of the wrong JSON type.
            0 => "",
            1 => ",\"params\":[" + targetLiteral + "]",
            2 => ",\"params\":null",
            // The target given twice, or under a case-variant key a lenient parser might prefer.
            3 => ",\"params\":{" + nameKey + ":" + targetLiteral + ",\"name\":" + duplicate + "}",
            4 => ",\"params\":{\"name\":" + duplicate + "," + nameKey + ":" + targetLiteral + ",\"arguments\":" + arguments + "}",
            5 => ",\"params\":{" + nameKey + ":" + targetLiteral + ",\"Name\":" + duplicate + ",\"arguments\":" + arguments + "}",
            // The target as a non-string.
            6 => ",\"params\":{\"name\":123,\"uri\":{\"x\":" + targetLiteral + "}}",
            7 => ",\"params\":{\"name\":[" + targetLiteral + "],\"arguments\":" + arguments + "}",
            // Both name and uri, for methods that read the other one.
            8 => ",\"params\":{\"name\":" + targetLiteral + ",\"uri\":" + uriLiteral + ",\"arguments\":" + arguments + "}",
            // A completion ref pointing at a prompt or resource.
            9 => ",\"params\":{\"ref\":{\"type\":\"ref/prompt\",\"name\":" + targetLiteral + "},\"argument\":{\"name\":\"x\",\"value\":\"y\"}}",
            // Arguments that hide another call inside.
            10 => ",\"params\":{" + nameKey + ":" + targetLiteral + ",\"arguments\":{\"params\":{\"name\":\"delete_file\"},\"method\":\"tools/call\"}}",
            // A nested _meta with its own name.
            11 => ",\"params\":{\"_meta\":{\"name\":\"delete_file\",\"progressToken\":1}," + nameKey + ":" + targetLiteral + ",\"arguments\":" + arguments + "}",
            _ => ",\"params\":{" + nameKey + ":" + targetLiteral + ",\"arguments\":" + arguments + "}",
        }).Replace("\"params\":{", "\"params\":{" + meta, StringComparison.Ordinal);

    private static Gen<string> Arguments => Gen.Frequency(
        (10, Gen.Const("{\"path\":\"/public/notes.txt\",\"query\":\"x\",\"city\":\"Oslo\",\"question\":\"q\",\"text\":\"t\",\"content\":\"c\"}")),
        (2, Gen.Const("{\"path\":\"a\",\"path\":\"b\"}")),
        (1, Gen.Const("{\"p\\u0061th\":\"a\",\"path\":\"b\"}")),
        (1, Gen.Const("\"not an object\"")),
        (1, Gen.Const("[]")),
        (1, Gen.Int[1, 90].Select(Nested)),
        (1, Gen.Int[1_000, 300_000].Select(static n => "{\"path\":\"" + new string('x', n) + "\"}")),
        (1, Gen.Int[1, 3_000].Select(static n => "{" + string.Join(",", Enumerable.Range(0, n).Select(static i => "\"k" + i.ToString(CultureInfo.InvariantCulture) + "\":" + i.ToString(CultureInfo.InvariantCulture))) + "}")));

    private static string Nested(int depth) =>
        "{\"path\":\"x\",\"deep\":" + string.Concat(Enumerable.Repeat("[{\"a\":", depth)) + "1" + string.Concat(Enumerable.Repeat("}]", depth)) + "}";

    private static Gen<string> BuildMembers(int shape, string method, string id, string jsonrpc, string paramsJson)
    {
        var core = "\"jsonrpc\":" + jsonrpc + ",\"id\":" + id + ",\"method\":" + method + paramsJson;
        return shape switch
        {
            // A second method member, before or after the first.
            0 => MethodName.SelectMany(Literal).Select(other => "\"method\":" + other + "," + core),
            1 => MethodName.SelectMany(Literal).Select(other => core + ",\"method\":" + other),
            // The method under an escaped key, next to a plain one.
            2 => Literal("method").Select(key => "\"jsonrpc\":" + jsonrpc + ",\"id\":" + id + "," + key + ":" + method + ",\"method\":\"tools/list\"" + paramsJson),
            // A case-variant duplicate of a member a lenient parser might prefer.
            3 => Gen.OneOf(s_keyVariants).Select(key => core + ",\"" + key + "\":" + (key.Contains("arams", StringComparison.OrdinalIgnoreCase) ? "{\"name\":\"delete_file\",\"uri\":\"file:///secret/keys.txt\"}" : "\"tools/call\"")),
            // A second params member.
            4 => Gen.Const(core + ",\"params\":{\"name\":\"delete_file\",\"arguments\":{\"path\":\"x\"}}"),
            5 => Gen.Const("\"params\":{\"name\":\"delete_file\"}," + core),
            // A notification (no id), or a response shape next to a method.
            6 => Gen.Const("\"jsonrpc\":" + jsonrpc + ",\"method\":" + method + paramsJson),
            7 => Gen.Const(core + ",\"result\":{}"),
            // No jsonrpc, or it twice.
            8 => Gen.Const("\"id\":" + id + ",\"method\":" + method + paramsJson),
            9 => Gen.Const(core + ",\"jsonrpc\":\"2.0\""),
            // Whitespace everywhere JSON allows it.
            10 => Gen.Const(" \"jsonrpc\" :\t" + jsonrpc + " ,\r\n\"id\" : " + id + " , \"method\"\n:\n" + method + paramsJson.Replace(":", " : ", StringComparison.Ordinal) + " "),
            _ => Gen.Const(core),
        };
    }

    private static Gen<IReadOnlyList<(string Name, string Value)>> McpHeaderSet(string method, string? target) =>
        Gen.Int[0, 9].SelectMany(shape => shape switch
        {
            0 => Gen.Const<IReadOnlyList<(string, string)>>([("Mcp-Method", method)]),
            1 or 5 or 6 or 7 => Gen.Const<IReadOnlyList<(string, string)>>(target is null ? [("Mcp-Method", method)] : [("Mcp-Method", method), ("Mcp-Name", target)]),
            2 => ToolName.Select(name => (IReadOnlyList<(string, string)>)[("Mcp-Method", "tools/call"), ("Mcp-Name", name)]),
            3 => MethodName.Select(m => (IReadOnlyList<(string, string)>)[("Mcp-Method", m)]),
            4 => Gen.Const<IReadOnlyList<(string, string)>>([("Mcp-Method", method), ("Mcp-Method", "tools/list")]),
            _ => Gen.Const<IReadOnlyList<(string, string)>>([]),
        });

    private static byte[] Damage(byte[] body, int damage, double at, byte[] bad)
    {
        var position = (int)(at * body.Length);
        return damage switch
        {
            // Invalid UTF-8 (or a NUL / BOM) somewhere inside.
            0 or 1 => [.. body.AsSpan(0, position), .. bad, .. body.AsSpan(position)],
            // Truncated.
            2 => body[..position],
            // A BOM in front.
            3 => [0xEF, 0xBB, 0xBF, .. body],
            // Trailing data: garbage, or a second message.
            4 => [.. body, .. "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tools/call\",\"params\":{\"name\":\"delete_file\"}}"u8],
            5 => [.. body, .. " }"u8],
            _ => body,
        };
    }

    private static string Quote(string value, Func<int, bool> escape)
    {
        var text = new StringBuilder(value.Length + 2);
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '/' && escape(i) && i % 2 == 0)
            {
                text.Append("\\/");
            }
            else if (escape(i) || c < 0x20 || c == '"' || c == '\\' || char.IsSurrogate(c))
            {
                text.Append("\\u").Append(((int)c).ToString(i % 3 == 0 ? "X4" : "x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('"').ToString();
    }
}
