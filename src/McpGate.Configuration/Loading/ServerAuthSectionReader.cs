using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGate.Policy.Evaluation;

namespace McpGate.Configuration.Loading;

/// <summary>The <c>serverAuth</c> section: identity providers (bearer tokens, forwarded headers, OAuth) and the ACL.</summary>
internal sealed class ServerAuthSectionReader(ConfigErrorSink errors, Func<string, string?> environment, IReadOnlySet<string> declaredAliases)
    : SectionReader(errors, environment)
{
    private const string Sha256Prefix = "sha256:";

    private static readonly string[] s_serverAuthKeys = ["providers", "bearer", "forwarded", "oauth", "acl"];
    private static readonly string[] s_bearerKeys = ["tokens"];
    private static readonly string[] s_tokenKeys = ["subject", "roles"];
    private static readonly string[] s_forwardedKeys = ["header", "groups_header", "trustedProxies"];
    private static readonly string[] s_providerNames = ["bearer", "forwarded", "oauth"];

    public (AuthConfig Auth, AclSpec? Acl) Read(ObjectView top)
    {
        if (!top.TryGet("serverAuth", out var element, out var path))
        {
            return (AuthConfig.AnonymousOnly, null);
        }

        var section = Object(element, path, s_serverAuthKeys, explainUnknown: ExplainServerAuthKey);
        if (section is null)
        {
            return (AuthConfig.AnonymousOnly, null);
        }

        section.TryGet("providers", out var providersElement, out var providersPath);
        var providers = section.Has("providers") ? ReadProviders(providersElement, providersPath) : [];

        IReadOnlyList<BearerTokenEntry> tokens = [];
        var hasBearer = section.TryGet("bearer", out var bearerElement, out var bearerPath);
        if (hasBearer)
        {
            tokens = ReadBearer(bearerElement, bearerPath);
        }

        ForwardedAuthSettings? forwarded = null;
        var hasForwarded = section.TryGet("forwarded", out var forwardedElement, out var forwardedPath);
        if (hasForwarded)
        {
            forwarded = ReadForwarded(forwardedElement, forwardedPath);
        }

        OAuthSettings? oauth = null;
        var hasOAuth = section.TryGet("oauth", out var oauthElement, out var oauthPath);
        if (hasOAuth)
        {
            oauth = new OAuthSectionReader(Errors, Environment).Read(oauthElement, oauthPath);
        }

        CheckProviderSection(providers, AuthProviderKind.Bearer, hasBearer, providersPath, bearerPath,
            "add \"bearer\": { \"tokens\": { \"sha256:<hex>\": \"<subject>\" } } to serverAuth");
        CheckProviderSection(providers, AuthProviderKind.Forwarded, hasForwarded, providersPath, forwardedPath,
            "add \"forwarded\": { \"trustedProxies\": [\"127.0.0.1/32\"] } to serverAuth, listing the proxies allowed to assert identity");
        CheckProviderSection(providers, AuthProviderKind.OAuth, hasOAuth, providersPath, oauthPath,
            $"add \"oauth\": {OAuthSectionReader.Example} to serverAuth");

        AclSpec? acl = null;
        if (section.TryGet("acl", out var aclElement, out var aclPath))
        {
            acl = new AclSectionReader(Errors, Environment, declaredAliases).Read(aclElement, aclPath);
        }

        var auth = new AuthConfig
        {
            Providers = providers.AsReadOnly(),
            BearerTokens = tokens.ToArray().AsReadOnly(),
            Forwarded = providers.Contains(AuthProviderKind.Forwarded) ? forwarded : null,
            OAuth = providers.Contains(AuthProviderKind.OAuth) ? oauth : null,
        };
        return (auth, acl);
    }

    private static (string Message, string Fix)? ExplainServerAuthKey(string key) => key switch
    {
        "oauthAs" => (
            "\"oauthAs\" (the Rust proxy's OAuth authorization server) is not supported by McpGate",
            "remove it: McpGate is a resource server; configure your IdP under \"oauth\" and add \"oauth\" to providers"),
        _ => null,
    };

    private void CheckProviderSection(
        List<AuthProviderKind> providers,
        AuthProviderKind kind,
        bool hasSection,
        string providersPath,
        string sectionPath,
        string addSectionFix)
    {
        var name = kind switch
        {
            AuthProviderKind.Bearer => "bearer",
            AuthProviderKind.Forwarded => "forwarded",
            _ => "oauth",
        };
        if (providers.Contains(kind) && !hasSection)
        {
            Error(providersPath, $"providers lists \"{name}\" but serverAuth.{name} is missing", addSectionFix);
        }
        else if (!providers.Contains(kind) && hasSection)
        {
            // (differs) Upstream silently runs such a config as anonymous; the operator clearly meant to authenticate.
            Error(
                sectionPath,
                $"serverAuth.{name} is configured but \"{name}\" is not in serverAuth.providers, so it would never be used",
                $"add \"{name}\" to serverAuth.providers (e.g. \"providers\": [\"{name}\"]), or remove this section");
        }
    }

    private List<AuthProviderKind> ReadProviders(JsonElement element, string path)
    {
        var providers = new List<AuthProviderKind>();
        var names = StringList(element, path, allowEmptyList: true, "write a list such as [\"bearer\"] or [\"bearer\", \"forwarded\"]; [] means anonymous");
        if (names is null)
        {
            return providers;
        }

        for (var i = 0; i < names.Count; i++)
        {
            var itemPath = JsonPaths.Index(path, i);
            AuthProviderKind kind;
            switch (names[i])
            {
                case "bearer":
                    kind = AuthProviderKind.Bearer;
                    break;
                case "forwarded":
                    kind = AuthProviderKind.Forwarded;
                    break;
                case "oauth":
                    kind = AuthProviderKind.OAuth;
                    break;
                case "none" when names.Count == 1:
                    // The Rust proxy's spelling of "anonymous"; the same as [].
                    continue;
                case "none":
                    Error(itemPath, "\"none\" (anonymous) cannot be combined with other providers", "remove \"none\"; a caller no provider accepts is refused with 401");
                    continue;
                case "oauth_as":
                    Error(itemPath, "the \"oauth_as\" provider (an authorization server in the proxy) is not supported by McpGate", "use \"oauth\": McpGate accepts tokens from your IdP as a resource server");
                    continue;
                default:
                    var close = Suggestions.Closest(names[i], s_providerNames);
                    Error(
                        itemPath,
                        $"unknown provider \"{Shorten(names[i])}\"",
                        close is not null ? $"did you mean \"{close}\"?" : "use \"bearer\", \"forwarded\" or \"oauth\"");
                    continue;
            }

            if (providers.Contains(kind))
            {
                Error(itemPath, $"provider \"{names[i]}\" is listed twice", "list each provider once");
                continue;
            }

            providers.Add(kind);
        }

        return providers;
    }

    private List<BearerTokenEntry> ReadBearer(JsonElement element, string path)
    {
        var entries = new List<BearerTokenEntry>();
        var bearer = Object(element, path, s_bearerKeys, fix: "write { \"tokens\": { \"sha256:<hex>\": \"<subject>\" } }");
        if (bearer is null)
        {
            return entries;
        }

        if (!bearer.TryGet("tokens", out var tokensElement, out var tokensPath))
        {
            Error(path, "missing \"tokens\"", "add \"tokens\": { \"sha256:<hex of the token's SHA-256>\": \"<subject>\" }");
            return entries;
        }

        if (tokensElement.ValueKind != JsonValueKind.Object)
        {
            Expected(tokensElement, tokensPath, "an object", "write { \"sha256:<hex>\": \"<subject>\" }");
            return entries;
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var ordinal = 0;
        foreach (var property in tokensElement.EnumerateObject())
        {
            ordinal++;
            var realPath = JsonPaths.Property(tokensPath, property.Name);
            var key = property.Name;
            byte[]? hash;
            string entryPath;
            if (key.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase))
            {
                entryPath = realPath;
                hash = ReadTokenHash(key, entryPath);
            }
            else
            {
                // A plain key is the secret itself: it never appears in a path or message.
                entryPath = $"{tokensPath}[<token #{ordinal}>]";
                Errors.AddPathAlias(entryPath, realPath);
                hash = HashPlainToken(key, entryPath);
            }

            var (subject, roles) = ReadTokenValue(property.Value, entryPath);
            if (hash is null || subject is null)
            {
                continue;
            }

            var hex = Convert.ToHexStringLower(hash);
            if (seen.TryGetValue(hex, out var firstPath))
            {
                Error(entryPath, $"this token is already configured at {firstPath}", "remove one of the two entries (a token maps to one subject)");
                continue;
            }

            seen.Add(hex, entryPath);
            entries.Add(new BearerTokenEntry { Sha256 = hash, Subject = subject, Roles = roles, JsonPath = entryPath });
        }

        return entries;
    }

    private byte[]? ReadTokenHash(string key, string path)
    {
        const string Fix = "write \"sha256:\" followed by the 64 lowercase hex digits printed by: printf %s 'TOKEN' | sha256sum";
        if (!key.StartsWith(Sha256Prefix, StringComparison.Ordinal))
        {
            Error(path, $"the prefix \"{key[..Sha256Prefix.Length]}\" must be lowercase", Fix);
            return null;
        }

        var hex = key[Sha256Prefix.Length..];
        if (hex.Length != 64 || !IsHex(hex))
        {
            Error(path, $"a sha256: key needs exactly 64 hex digits, found {hex.Length} characters", Fix);
            return null;
        }

        if (hex.Any(char.IsAsciiLetterUpper))
        {
            Error(path, "the SHA-256 hex digits must be lowercase", $"write it as \"sha256:{hex.ToLowerInvariant()}\"");
            return null;
        }

        return Convert.FromHexString(hex);
    }

    private byte[]? HashPlainToken(string token, string path)
    {
        if (token.Length == 0)
        {
            Error(path, "the token is empty", "use a long random token, and store its hash: \"sha256:<hex>\"");
            return null;
        }

        foreach (var c in token)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                Error(path, "the token contains whitespace or control characters, which a bearer token cannot carry", "use a token made of printable characters without spaces");
                return null;
            }
        }

        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    private (string? Subject, IReadOnlyList<string> Roles) ReadTokenValue(JsonElement value, string path)
    {
        const string Fix = "write the subject (\"alice\") or { \"subject\": \"alice\", \"roles\": [\"dev\"] }";
        if (value.ValueKind == JsonValueKind.String)
        {
            return (String(value, path, Fix), []);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Expected(value, path, "a subject string or an object", Fix);
            return (null, []);
        }

        var entry = Object(value, path, s_tokenKeys, Fix);
        string? subject = null;
        IReadOnlyList<string> roles = [];
        if (entry is null)
        {
            return (null, roles);
        }

        if (entry.TryGet("subject", out var subjectElement, out var subjectPath))
        {
            subject = String(subjectElement, subjectPath, Fix);
        }
        else
        {
            Error(path, "missing \"subject\"", Fix);
        }

        if (entry.TryGet("roles", out var rolesElement, out var rolesPath))
        {
            roles = StringList(rolesElement, rolesPath, allowEmptyList: true, "write a list of role names, e.g. [\"dev\"]")?.Distinct(StringComparer.Ordinal).ToArray()
                ?? (IReadOnlyList<string>)[];
        }

        return (subject, roles);
    }

    private ForwardedAuthSettings? ReadForwarded(JsonElement element, string path)
    {
        var section = Object(element, path, s_forwardedKeys, fix: "write { \"header\": \"x-forwarded-user\", \"groups_header\": \"x-forwarded-groups\", \"trustedProxies\": [\"127.0.0.1/32\"] }");
        if (section is null)
        {
            return null;
        }

        var header = "x-forwarded-user";
        var groupsHeader = "x-forwarded-groups";
        if (section.TryGet("header", out var headerElement, out var headerPath))
        {
            header = ReadHeaderName(headerElement, headerPath) ?? header;
        }

        if (section.TryGet("groups_header", out var groupsElement, out var groupsPath))
        {
            groupsHeader = ReadHeaderName(groupsElement, groupsPath) ?? groupsHeader;
        }

        if (string.Equals(header, groupsHeader, StringComparison.OrdinalIgnoreCase))
        {
            Error(groupsPath, "the groups header is the same as the user header", "use a separate header for groups, e.g. \"x-forwarded-groups\"");
        }

        var networks = new List<IPNetwork>();
        if (!section.TryGet("trustedProxies", out var proxiesElement, out var proxiesPath))
        {
            // (differs) Upstream believes the header from any peer, so any client can claim to be anyone.
            Error(
                path,
                "forwarded identity needs \"trustedProxies\": without it any client could claim any identity",
                "add \"trustedProxies\": [\"127.0.0.1/32\"], listing the address ranges of the reverse proxies that set the headers");
            return null;
        }

        var entries = StringList(
            proxiesElement,
            proxiesPath,
            allowEmptyList: false,
            "list CIDR ranges such as [\"127.0.0.1/32\", \"10.0.0.0/8\"]",
            "list at least one proxy address range, e.g. [\"127.0.0.1/32\"]; with none, forwarded identity is never believed");
        if (entries is null)
        {
            return null;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (TryParseNetwork(entries[i], out var network, out var problem, out var fix))
            {
                networks.Add(network);
            }
            else
            {
                Error(JsonPaths.Index(proxiesPath, i), problem!, fix);
            }
        }

        return new ForwardedAuthSettings
        {
            Header = header,
            GroupsHeader = groupsHeader,
            TrustedProxies = networks.AsReadOnly(),
        };
    }

    private string? ReadHeaderName(JsonElement element, string path)
    {
        var name = String(element, path, "give a header name such as \"x-forwarded-user\"");
        if (name is not null && !IsHeaderName(name))
        {
            Error(path, $"\"{Shorten(name)}\" is not a valid HTTP header name", "use letters, digits and - (e.g. \"x-forwarded-user\")");
            return null;
        }

        return name;
    }

    /// <summary>A CIDR range (<c>10.0.0.0/8</c>) or a single address (taken as /32 or /128).</summary>
    internal static bool TryParseNetwork(string text, out IPNetwork network, out string? problem, out string? fix)
    {
        network = default;
        problem = null;
        fix = "write a CIDR range such as \"127.0.0.1/32\", \"10.0.0.0/8\" or \"::1/128\"";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || !(addressText.Contains(':', StringComparison.Ordinal) || addressText.Count(c => c == '.') == 3))
        {
            problem = $"\"{Shorten(text)}\" is not an IP address or CIDR range";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > maxPrefix))
        {
            problem = $"\"{Shorten(text)}\" has an invalid prefix length (0 to {maxPrefix})";
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        var masked = new IPAddress(bytes);
        if (!masked.Equals(address))
        {
            problem = $"\"{text}\" has bits set after the /{prefix} prefix";
            fix = $"write the network address: \"{masked}/{prefix}\"";
            return false;
        }

        network = new IPNetwork(masked, prefix);
        return true;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
