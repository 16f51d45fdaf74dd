using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary><c>serverAuth.bearer</c>: static tokens (stored as SHA-256 hashes), each with a subject and roles.</summary>
internal sealed class BearerSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private const string Sha256Prefix = "sha256:";

    private static readonly string[] s_bearerKeys = ["tokens"];
    private static readonly string[] s_tokenKeys = ["subject", "roles"];

    public List<BearerTokenEntry> Read(JsonElement element, string path)
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
