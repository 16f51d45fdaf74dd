using System.Text.Json;
using McpGate.Policy.Evaluation;

namespace McpGate.Configuration.Loading;

/// <summary>
/// The <c>serverAuth</c> section: which identity providers are on, and that each one listed is configured. Each
/// provider's block has its own reader (<see cref="BearerSectionReader"/>, <see cref="ForwardedSectionReader"/>,
/// <see cref="OAuthSectionReader"/>), as has the ACL (<see cref="AclSectionReader"/>), all sharing one error sink.
/// </summary>
internal sealed class ServerAuthSectionReader(ConfigErrorSink errors, Func<string, string?> environment, IReadOnlySet<string> declaredAliases)
    : SectionReader(errors, environment)
{
    private static readonly string[] s_serverAuthKeys = ["providers", "bearer", "forwarded", "oauth", "acl"];
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
            tokens = new BearerSectionReader(Errors, Environment).Read(bearerElement, bearerPath);
        }

        ForwardedAuthSettings? forwarded = null;
        var hasForwarded = section.TryGet("forwarded", out var forwardedElement, out var forwardedPath);
        if (hasForwarded)
        {
            forwarded = new ForwardedSectionReader(Errors, Environment).Read(forwardedElement, forwardedPath);
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
}
