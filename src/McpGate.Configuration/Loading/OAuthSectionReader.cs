using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary>
/// <c>serverAuth.oauth</c> (docs/oauth.md): the issuer whose JWT access tokens the gate accepts, the gate's public
/// URL, and how claims become a subject and roles. The keys are a contract (issue 16): scripts rely on them.
/// </summary>
internal sealed class OAuthSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    internal const string Example = "{ \"issuer\": \"https://login.example.com/realms/acme\", \"resource\": \"https://gate.example.com\" }";

    private static readonly string[] s_keys =
        ["issuer", "resource", "audiences", "subjectClaim", "roleClaims", "roleMap", "requiredScopes", "scopesSupported"];

    public OAuthSettings? Read(JsonElement element, string path)
    {
        var section = Object(element, path, s_keys, fix: $"write {Example}");
        if (section is null)
        {
            return null;
        }

        string? issuer = null;
        if (section.TryGet("issuer", out var issuerElement, out var issuerPath))
        {
            issuer = ReadBaseUrl(issuerElement, issuerPath, "the authorization server's issuer", "https://login.example.com/realms/acme");
        }
        else
        {
            Error(path, "missing \"issuer\"", "add \"issuer\": \"https://login.example.com/realms/acme\" (the \"iss\" of the tokens; its /.well-known/openid-configuration gives the signing keys)");
        }

        string? resource = null;
        if (section.TryGet("resource", out var resourceElement, out var resourcePath))
        {
            resource = ReadBaseUrl(resourceElement, resourcePath, "the gate's public base URL", "https://gate.example.com");
        }
        else
        {
            Error(path, "missing \"resource\"", "add \"resource\": \"https://gate.example.com\", the URL clients reach the gate at (route a is {resource}/mcp/a)");
        }

        IReadOnlyList<string> audiences = [];
        if (section.TryGet("audiences", out var audiencesElement, out var audiencesPath))
        {
            audiences = List(audiencesElement, audiencesPath, "list the accepted \"aud\" values, e.g. [\"https://gate.example.com/mcp/github\", \"api://mcpgate\"]");
        }

        var subjectClaim = "sub";
        if (section.TryGet("subjectClaim", out var subjectElement, out var subjectPath))
        {
            subjectClaim = String(subjectElement, subjectPath, "name the claim that identifies the caller: \"sub\", \"email\", \"preferred_username\", \"oid\"") ?? subjectClaim;
        }

        IReadOnlyList<string> roleClaims = ["groups", "roles"];
        if (section.TryGet("roleClaims", out var roleClaimsElement, out var roleClaimsPath))
        {
            roleClaims = List(roleClaimsElement, roleClaimsPath, "list the claims whose values are roles, e.g. [\"groups\", \"roles\"]", allowEmpty: true);
        }

        IReadOnlyDictionary<string, IReadOnlyList<string>>? roleMap = null;
        if (section.TryGet("roleMap", out var roleMapElement, out var roleMapPath))
        {
            roleMap = ReadRoleMap(roleMapElement, roleMapPath);
        }

        IReadOnlyList<string> requiredScopes = [];
        var hasRequired = section.TryGet("requiredScopes", out var requiredElement, out var requiredPath);
        if (hasRequired)
        {
            requiredScopes = List(requiredElement, requiredPath, "list the scopes every token must carry, e.g. [\"mcp\"]", allowEmpty: true);
        }

        IReadOnlyList<string> scopesSupported = requiredScopes;
        if (section.TryGet("scopesSupported", out var supportedElement, out var supportedPath))
        {
            scopesSupported = List(supportedElement, supportedPath, "list the scopes to advertise, e.g. [\"mcp\"]", allowEmpty: true);
            foreach (var scope in requiredScopes)
            {
                if (!scopesSupported.Contains(scope, StringComparer.Ordinal))
                {
                    // A client asks for what the metadata advertises: a required scope left out could never be granted.
                    Error(supportedPath, $"the required scope \"{Shorten(scope)}\" is not advertised", $"add \"{Shorten(scope)}\" to scopesSupported");
                }
            }
        }

        if (issuer is null || resource is null)
        {
            return null;
        }

        return new OAuthSettings
        {
            Issuer = issuer,
            Resource = resource,
            Audiences = audiences,
            SubjectClaim = subjectClaim,
            RoleClaims = roleClaims,
            RoleMap = roleMap,
            RequiredScopes = requiredScopes,
            ScopesSupported = scopesSupported,
        };
    }

    /// <summary>
    /// An absolute https URL without query or fragment, returned without a trailing slash; plain http only for a
    /// loopback host (local development and tests), since keys fetched over http could be swapped by anyone on path.
    /// </summary>
    private string? ReadBaseUrl(JsonElement element, string path, string what, string example)
    {
        var text = String(element, path, $"write {what}, e.g. \"{example}\"");
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            Error(path, $"\"{Shorten(text)}\" is not an absolute http(s) URL", $"write {what}, e.g. \"{example}\"");
            return null;
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            Error(path, $"\"{Shorten(text)}\" has a query or fragment", $"write {what} without ?… or #…, e.g. \"{example}\"");
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            Error(path, $"\"{Shorten(text)}\" is plain http", $"use https (http is accepted only for a loopback host such as http://127.0.0.1:8080, for local development)");
            return null;
        }

        return text.TrimEnd('/');
    }

    private string[] List(JsonElement element, string path, string fix, bool allowEmpty = false) =>
        StringList(element, path, allowEmptyList: allowEmpty, fix, emptyFix: "list at least one value, or remove the key")?.Distinct(StringComparer.Ordinal).ToArray()
            ?? [];

    private Dictionary<string, IReadOnlyList<string>>? ReadRoleMap(JsonElement element, string path)
    {
        const string Fix = "write { \"<IdP group or role>\": [\"<ACL role>\"] }, e.g. { \"sre\": [\"admin\"] }";
        if (element.ValueKind != JsonValueKind.Object)
        {
            Expected(element, path, "an object", Fix);
            return null;
        }

        var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var entryPath = JsonPaths.Property(path, property.Name);
            if (map.ContainsKey(property.Name))
            {
                Error(entryPath, $"\"{Shorten(property.Name)}\" is mapped twice", "keep one entry per IdP value", occurrence: 1);
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.String)
            {
                Expected(property.Value, entryPath, "a list of role names", $"write it as a list: [\"{Shorten(property.Value.GetString()!)}\"]");
                continue;
            }

            map[property.Name] = List(property.Value, entryPath, Fix, allowEmpty: true);
        }

        return map;
    }
}
