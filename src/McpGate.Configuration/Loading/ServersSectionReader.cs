using System.Collections.ObjectModel;
using System.Text.Json;
using McpGate.Policy.Classification;
using McpGate.Policy.Globbing;

namespace McpGate.Configuration.Loading;

/// <summary>The <c>mcpServers</c> section: one upstream per alias, <c>url</c> or <c>command</c>, headers, <c>tool_acl</c>.</summary>
internal sealed class ServersSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    // The idle-timeout keys belong to the Rust proxy's process manager; accepted (and ignored) so that a
    // servers.json shared with it still loads.
    private static readonly string[] s_serverKeys =
        ["url", "headers", "command", "args", "env", "cwd", "stdio", "tool_acl", "idle_timeout", "min_idle_timeout", "max_idle_timeout"];

    private static readonly string[] s_toolAclKeys = ["read", "write"];

    // Framing, hop-by-hop and session headers belong to the proxy and the MCP session, not to static config.
    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Upgrade", "Keep-Alive", "TE",
        "Trailer", "Proxy-Connection", "Mcp-Session-Id", "MCP-Protocol-Version",
    };

    public Dictionary<string, UpstreamConfig> Read(ObjectView top)
    {
        var servers = new Dictionary<string, UpstreamConfig>(StringComparer.Ordinal);
        if (!top.TryGet("mcpServers", out var element, out var path))
        {
            Error(
                JsonPaths.Root,
                "missing \"mcpServers\"",
                "add \"mcpServers\": { \"github\": { \"url\": \"http://127.0.0.1:3101/mcp\" } }, one entry per upstream alias");
            return servers;
        }

        var map = Object(element, path, knownKeys: null, fix: "write \"mcpServers\": { \"<alias>\": { \"url\": \"...\" } }");
        if (map is null)
        {
            return servers;
        }

        foreach (var (alias, value, entryPath) in map.Members)
        {
            var aliasValid = CheckAlias(alias, entryPath);
            var upstream = ReadServer(alias, value, entryPath);
            if (aliasValid && upstream is not null)
            {
                servers.Add(alias, upstream);
            }
        }

        return servers;
    }

    private bool CheckAlias(string alias, string path)
    {
        const string Rule = "use letters, digits, '_', '.' and '-' only, without \"__\" (e.g. \"github\" or \"prod-db\")";
        if (alias.Length == 0)
        {
            Error(path, "the alias is empty", Rule);
            return false;
        }

        foreach (var c in alias)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                Error(path, $"alias \"{alias}\" contains '{c}', which is not allowed in an alias", Rule);
                return false;
            }
        }

        if (alias.Contains("__", StringComparison.Ordinal))
        {
            Error(path, $"alias \"{alias}\" contains \"__\", which separates alias and tool in namespaced names", Rule);
            return false;
        }

        if (alias is "." or "..")
        {
            Error(path, $"alias \"{alias}\" is a relative path segment and cannot be routed as /mcp/{alias}", Rule);
            return false;
        }

        return true;
    }

    private UpstreamConfig? ReadServer(string alias, JsonElement value, string path)
    {
        var entry = Object(value, path, s_serverKeys, fix: "write { \"url\": \"http://host:port/mcp\" } or { \"command\": \"server-binary\" }");
        if (entry is null)
        {
            return null;
        }

        var hasUrl = entry.TryGet("url", out var urlElement, out var urlPath);
        var hasCommand = entry.TryGet("command", out var commandElement, out var commandPath);
        if (hasUrl && hasCommand)
        {
            Error(
                path,
                "both \"url\" and \"command\" are set",
                "keep \"url\" for a Streamable HTTP upstream or \"command\" for a stdio upstream, not both");
        }
        else if (!hasUrl && !hasCommand)
        {
            Error(
                path,
                "neither \"url\" nor \"command\" is set",
                "add \"url\": \"http://host:port/mcp\" (Streamable HTTP) or \"command\": \"server-binary\" (stdio)");
        }

        var url = hasUrl ? ReadUrl(urlElement, urlPath) : null;
        var command = hasCommand ? String(commandElement, commandPath, "give the program to start, e.g. \"notes-server\"") : null;

        IReadOnlyDictionary<string, string> headers = new Dictionary<string, string>();
        if (entry.TryGet("headers", out var headersElement, out var headersPath))
        {
            if (!hasUrl && hasCommand)
            {
                Error(headersPath, "\"headers\" apply only to a \"url\" upstream", "remove \"headers\", or pass values to the command through \"env\"");
            }

            headers = ReadHeaders(headersElement, headersPath);
        }

        IReadOnlyList<string> args = [];
        if (entry.TryGet("args", out var argsElement, out var argsPath))
        {
            if (hasUrl && !hasCommand)
            {
                Error(argsPath, "\"args\" apply only to a \"command\" upstream", "remove \"args\" from this url upstream");
            }

            args = StringList(argsElement, argsPath, allowEmptyList: true, "write a list of arguments, e.g. [\"--stdio\"]", allowEmptyItems: true)?.AsReadOnly() ?? (IReadOnlyList<string>)[];
        }

        IReadOnlyDictionary<string, string> env = new Dictionary<string, string>();
        if (entry.TryGet("env", out var envElement, out var envPath))
        {
            if (hasUrl && !hasCommand)
            {
                Error(envPath, "\"env\" applies only to a \"command\" upstream", "remove \"env\" from this url upstream (use \"headers\" for HTTP)");
            }

            env = ReadStringMap(envElement, envPath, StringComparer.Ordinal, "write { \"NAME\": \"value\" }");
        }

        string? cwd = null;
        if (entry.TryGet("cwd", out var cwdElement, out var cwdPath))
        {
            if (hasUrl && !hasCommand)
            {
                Error(cwdPath, "\"cwd\" applies only to a \"command\" upstream", "remove \"cwd\" from this url upstream");
            }

            cwd = String(cwdElement, cwdPath, "give the directory the command runs in, e.g. \"/srv/notes\"");
        }

        StdioSettings? stdio = hasCommand && !hasUrl ? StdioSettings.Default : null;
        if (entry.TryGet("stdio", out var stdioElement, out var stdioPath))
        {
            if (hasUrl && !hasCommand)
            {
                Error(stdioPath, "\"stdio\" applies only to a \"command\" upstream", "remove \"stdio\" from this url upstream");
            }

            stdio = new StdioSectionReader(Errors, Environment).Read(stdioElement, stdioPath) ?? stdio;
        }

        var toolAcl = ToolAclOverrides.None;
        if (entry.TryGet("tool_acl", out var toolAclElement, out var toolAclPath))
        {
            toolAcl = ReadToolAcl(toolAclElement, toolAclPath);
        }

        foreach (var ignored in (string[])["idle_timeout", "min_idle_timeout", "max_idle_timeout"])
        {
            if (entry.TryGet(ignored, out var ignoredElement, out var ignoredPath) && ignoredElement.ValueKind != JsonValueKind.String)
            {
                Expected(ignoredElement, ignoredPath, "a string", "write a duration such as \"5m\" (McpGate ignores this key; the Rust proxy uses it)");
            }
        }

        return new UpstreamConfig
        {
            Alias = alias,
            Url = url,
            Headers = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase)),
            Command = command,
            Args = args,
            Env = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(env, StringComparer.Ordinal)),
            Cwd = cwd,
            Stdio = command is null ? null : stdio,
            ToolAcl = toolAcl,
        };
    }

    private Uri? ReadUrl(JsonElement element, string path)
    {
        const string Fix = "give an absolute http:// or https:// URL, e.g. \"http://127.0.0.1:3101/mcp\"";
        var raw = element.ValueKind == JsonValueKind.String ? element.GetString()! : null;
        var value = String(element, path, Fix);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            // Quote what the file says, not the substituted value, which may hold a secret.
            Error(path, $"\"{Shorten(raw ?? value)}\" is not an absolute http(s) URL", Fix);
            return null;
        }

        return url;
    }

    private Dictionary<string, string> ReadHeaders(JsonElement element, string path)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var map = Object(element, path, knownKeys: null, fix: "write { \"Authorization\": \"Bearer ${TOKEN}\" }");
        if (map is null)
        {
            return headers;
        }

        foreach (var (name, value, headerPath) in map.Members)
        {
            if (!IsHeaderName(name))
            {
                Error(headerPath, $"\"{Shorten(name)}\" is not a valid HTTP header name", "use letters, digits and - (e.g. \"X-Api-Key\")");
                continue;
            }

            if (s_reservedHeaders.Contains(name))
            {
                Error(headerPath, $"header \"{name}\" is managed by the proxy and the MCP session, not by configuration", "remove it");
                continue;
            }

            var text = String(value, headerPath, "give the header value as a string", allowEmpty: true);
            if (text is null)
            {
                continue;
            }

            if (text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                // Never quote a header value: it usually holds a credential.
                Error(headerPath, "the header value contains a line break or NUL character", "remove the control characters (check the environment variable it comes from)");
                continue;
            }

            if (!headers.TryAdd(name, text))
            {
                Error(headerPath, $"header \"{name}\" is set twice (header names are case-insensitive)", "keep only one of them");
            }
        }

        return headers;
    }

    private Dictionary<string, string> ReadStringMap(JsonElement element, string path, StringComparer comparer, string fix)
    {
        var result = new Dictionary<string, string>(comparer);
        var map = Object(element, path, knownKeys: null, fix: fix);
        if (map is null)
        {
            return result;
        }

        foreach (var (name, value, entryPath) in map.Members)
        {
            var text = String(value, entryPath, fix, allowEmpty: true);
            if (text is not null)
            {
                result[name] = text;
            }
        }

        return result;
    }

    private ToolAclOverrides ReadToolAcl(JsonElement element, string path)
    {
        var acl = Object(element, path, s_toolAclKeys, fix: "write { \"read\": [\"get_*\"], \"write\": [\"delete_*\"] }");
        if (acl is null)
        {
            return ToolAclOverrides.None;
        }

        const string EmptyFix = "list tool-name globs, or remove the key";
        List<string>? read = null;
        List<string>? write = null;
        if (acl.TryGet("read", out var readElement, out var readPath))
        {
            read = Patterns(readElement, readPath, allowSingle: false, allowEmptyList: true, EmptyFix);
        }

        if (acl.TryGet("write", out var writeElement, out var writePath))
        {
            write = Patterns(writeElement, writePath, allowSingle: false, allowEmptyList: true, EmptyFix);
        }

        if (read is not null && write is not null)
        {
            for (var i = 0; i < write.Count; i++)
            {
                if (read.Contains(write[i]))
                {
                    Error(
                        JsonPaths.Index(writePath, i),
                        $"pattern \"{write[i]}\" is in both tool_acl.read and tool_acl.write",
                        "keep it in one list (a tool whose name matches both a read and a write glob is classified write)");
                }
            }
        }

        return new ToolAclOverrides(new GlobList(read ?? []), new GlobList(write ?? []));
    }
}
