using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using McpGate.Configuration;
using McpGate.Configuration.Loading;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Linting;

/// <summary>
/// Rules about identities: <c>plaintext-token</c>, <c>role-undefined</c> (a token names a role the ACL lacks) and
/// <c>role-unused</c>. Tokens are read from the file's text, because the loaded config keeps only their hashes.
/// A plain token is never printed: its path is shown as <c>tokens[&lt;token #N&gt;]</c>, as the loader does.
/// </summary>
internal static class TokenRules
{
    private const string TokensPath = "$.serverAuth.bearer.tokens";
    private const string Sha256Prefix = "sha256:";

    public static void Check(GateConfig config, RoleBasedAclSpec? acl, ConfigSource source, List<LintFinding> findings)
    {
        var tokenRoles = new HashSet<string>(StringComparer.Ordinal);
        if (source.TryGet(out var tokens, "serverAuth", "bearer", "tokens") && tokens.ValueKind == JsonValueKind.Object)
        {
            var ordinal = 0;
            foreach (var token in tokens.EnumerateObject())
            {
                ordinal++;
                var realPath = JsonPaths.Property(TokensPath, token.Name);
                var plain = !token.Name.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase);
                var shownPath = plain ? $"{TokensPath}[<token #{ordinal}>]" : realPath;
                if (plain)
                {
                    var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Name)));
                    findings.Add(source.Finding(
                        LintCodes.PlaintextToken,
                        shownPath,
                        $"bearer token #{ordinal} is stored in plain text, so anyone who can read the file can use it",
                        $"replace the key with \"{Sha256Prefix}{hash}\" (its SHA-256; the gate compares hashes)",
                        realPath));
                }

                if (token.Value.ValueKind == JsonValueKind.Object && token.Value.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
                {
                    var index = 0;
                    foreach (var role in roles.EnumerateArray())
                    {
                        if (role.ValueKind == JsonValueKind.String && role.GetString() is { } name)
                        {
                            tokenRoles.Add(name);
                            if (acl is not null && !config.Evaluator.IsRoleDefined(name))
                            {
                                var close = Suggestions.Closest(name, acl.Roles.Select(r => r.Name));
                                findings.Add(source.Finding(
                                    LintCodes.RoleUndefined,
                                    JsonPaths.Index(JsonPaths.Property(shownPath, "roles"), index),
                                    $"bearer token #{ordinal} gives role \"{name}\", which serverAuth.acl.roles does not define, so it grants nothing",
                                    close is not null ? $"did you mean \"{close}\"?" : "define the role in serverAuth.acl.roles, or remove it from the token",
                                    JsonPaths.Index(JsonPaths.Property(realPath, "roles"), index)));
                            }
                        }

                        index++;
                    }
                }
            }
        }

        if (acl is not null)
        {
            RoleUnused(config, acl, tokenRoles, source, findings);
        }
    }

    private static void RoleUnused(GateConfig config, RoleBasedAclSpec acl, HashSet<string> tokenRoles, ConfigSource source, List<LintFinding> findings)
    {
        // Forwarded identities bring their roles in a header at run time: any role may be in use.
        if (config.Auth.Providers.Contains(AuthProviderKind.Forwarded))
        {
            return;
        }

        var used = new HashSet<string>(tokenRoles, StringComparer.Ordinal);
        foreach (var subject in acl.Subjects)
        {
            used.UnionWith(subject.Roles);
        }

        foreach (var role in acl.Roles)
        {
            if (!used.Contains(role.Name))
            {
                findings.Add(source.Finding(
                    LintCodes.RoleUnused,
                    JsonPaths.Property(PolicyLinter.AclPath + ".roles", role.Name),
                    $"role \"{role.Name}\" is given to no subject and no bearer token, so its grants never apply",
                    $"give it to a subject (\"subjects\": {{ \"bob\": {{ \"roles\": [\"{role.Name}\"] }} }}) or a token, or remove it"));
            }
        }
    }
}
