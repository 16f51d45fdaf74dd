using System.Text.Json;
using McpGate.Policy.Evaluation;

namespace McpGate.Configuration.Loading;

/// <summary><c>serverAuth.acl</c>: the role-based or the legacy schema (docs/acl.md, "The ACL: two schemas"), turned into an <see cref="AclSpec"/>.</summary>
internal sealed class AclSectionReader(ConfigErrorSink errors, Func<string, string?> environment, IReadOnlySet<string> declaredAliases)
    : SectionReader(errors, environment)
{
    private static readonly string[] s_roleBasedAclKeys = ["default", "strictClassification", "roles", "subjects"];
    private static readonly string[] s_legacyAclKeys = ["default", "rules"];
    private static readonly string[] s_allAclKeys = ["default", "strictClassification", "roles", "subjects", "rules"];
    private static readonly string[] s_grantKeys = ["server", "access", "tools", "resources", "prompts", "deny"];
    private static readonly string[] s_subjectKeys = ["roles", "extra"];
    private static readonly string[] s_ruleKeys = ["subjects", "roles", "tools", "policy"];

    private const string GrantExample = "{ \"server\": \"github\", \"access\": \"read\" }";

    /// <summary>Schema detection (docs/acl.md, "The ACL: two schemas"): roles/subjects → role-based; rules or neither → legacy; both → error.</summary>
    public AclSpec? Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Expected(element, path, "an object", "write \"acl\": { \"default\": \"deny\", \"roles\": { ... }, \"subjects\": { ... } }");
            return null;
        }

        bool hasRules = false, hasRoleBased = false;
        foreach (var property in element.EnumerateObject())
        {
            hasRules |= property.Name == "rules";
            hasRoleBased |= property.Name is "roles" or "subjects";
        }

        if (hasRules && hasRoleBased)
        {
            Error(
                path,
                "\"rules\" (legacy schema) cannot be combined with \"roles\"/\"subjects\" (role-based schema)",
                "use one schema: turn each legacy rule into a role grant, or remove \"roles\" and \"subjects\"");
            return null;
        }

        return hasRoleBased ? ReadRoleBased(element, path) : ReadLegacy(element, path);
    }

    private RoleBasedAclSpec? ReadRoleBased(JsonElement element, string path)
    {
        var acl = Object(element, path, s_roleBasedAclKeys, suggestFrom: s_allAclKeys);
        if (acl is null)
        {
            return null;
        }

        var defaultVerdict = acl.TryGet("default", out var defaultElement, out var defaultPath)
            ? ReadVerdict(defaultElement, defaultPath) ?? Verdict.Allow
            : Verdict.Allow;
        var strict = acl.TryGet("strictClassification", out var strictElement, out var strictPath)
            && (Bool(strictElement, strictPath) ?? false);

        var roles = new List<RoleSpec>();
        if (acl.TryGet("roles", out var rolesElement, out var rolesPath))
        {
            var map = Object(rolesElement, rolesPath, knownKeys: null, fix: "write \"roles\": { \"dev\": [ " + GrantExample + " ] }");
            foreach (var (name, value, rolePath) in map?.Members ?? [])
            {
                if (name.Length == 0)
                {
                    Error(rolePath, "the role name is empty", "give the role a name, e.g. \"dev\"");
                    continue;
                }

                var grants = ReadGrantList(value, rolePath, i => $"{name}[{i}]", "a role is a list of grants: [ " + GrantExample + " ]");
                roles.Add(new RoleSpec(name, grants));
            }
        }

        var defined = roles.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var subjects = new List<SubjectSpec>();
        if (acl.TryGet("subjects", out var subjectsElement, out var subjectsPath))
        {
            var map = Object(subjectsElement, subjectsPath, knownKeys: null, fix: "write \"subjects\": { \"bob\": { \"roles\": [\"dev\"] } }");
            foreach (var (name, value, subjectPath) in map?.Members ?? [])
            {
                var subject = ReadSubject(name, value, subjectPath, defined);
                if (subject is not null)
                {
                    subjects.Add(subject);
                }
            }
        }

        return new RoleBasedAclSpec(defaultVerdict, strict, roles, subjects);
    }

    private SubjectSpec? ReadSubject(string name, JsonElement value, string path, HashSet<string> definedRoles)
    {
        const string Fix = "write { \"roles\": [\"dev\"], \"extra\": [ " + GrantExample + " ] }";
        if (name.Length == 0)
        {
            Error(path, "the subject name is empty", "use the subject the caller authenticates as, e.g. \"bob\"");
        }

        var subject = Object(value, path, s_subjectKeys, Fix);
        if (subject is null)
        {
            return null;
        }

        var roles = new List<string>();
        if (subject.TryGet("roles", out var rolesElement, out var rolesPath))
        {
            var names = StringList(rolesElement, rolesPath, allowEmptyList: true, "write a list of role names, e.g. [\"dev\"]") ?? [];
            for (var i = 0; i < names.Count; i++)
            {
                if (!definedRoles.Contains(names[i]))
                {
                    var close = Suggestions.Closest(names[i], definedRoles);
                    Error(
                        JsonPaths.Index(rolesPath, i),
                        $"role \"{Shorten(names[i])}\" is not defined in serverAuth.acl.roles",
                        close is not null
                            ? $"did you mean \"{close}\"?"
                            : $"define it under \"roles\", or use one of: {(definedRoles.Count == 0 ? "(no roles are defined)" : Quote(definedRoles.Order(StringComparer.Ordinal)))}");
                }
                else if (!roles.Contains(names[i]))
                {
                    roles.Add(names[i]);
                }
            }
        }

        IReadOnlyList<GrantSpec> extra = [];
        if (subject.TryGet("extra", out var extraElement, out var extraPath))
        {
            extra = ReadGrantList(extraElement, extraPath, i => $"{name}.extra[{i}]", "\"extra\" is a list of grants: [ " + GrantExample + " ]");
        }

        return new SubjectSpec(name, roles.AsReadOnly(), extra);
    }

    private List<GrantSpec> ReadGrantList(JsonElement element, string path, Func<int, string> idFor, string fix)
    {
        var grants = new List<GrantSpec>();
        if (element.ValueKind != JsonValueKind.Array)
        {
            Expected(element, path, "a list of grants", fix);
            return grants;
        }

        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var grant = ReadGrant(item, JsonPaths.Index(path, index), idFor(index), index);
            if (grant is not null)
            {
                grants.Add(grant);
            }

            index++;
        }

        return grants;
    }

    private GrantSpec? ReadGrant(JsonElement element, string path, string id, int index)
    {
        var grant = Object(element, path, s_grantKeys, "a grant is an object: " + GrantExample);
        if (grant is null)
        {
            return null;
        }

        List<string>? servers = null;
        if (grant.TryGet("server", out var serverElement, out var serverPath))
        {
            servers = Patterns(serverElement, serverPath, allowSingle: true, allowEmptyList: false,
                "list at least one alias glob, e.g. [\"github\", \"grafana\"], or use \"*\" for every upstream");
        }
        else
        {
            Error(path, "missing \"server\"", "add \"server\": \"*\" (every upstream), an alias, or a list of alias globs");
        }

        GrantAccess? access = null;
        if (grant.TryGet("access", out var accessElement, out var accessPath))
        {
            access = ReadGrantAccess(accessElement, accessPath);
        }
        else
        {
            Error(path, "missing \"access\"", "add \"access\": \"read\", \"write\" or \"*\"");
        }

        var tools = ReadTargets(grant, "tools", "list tool-name globs, e.g. [\"list_*\"], or remove the key to cover every tool");
        var resources = ReadTargets(grant, "resources", "list resource-URI globs, e.g. [\"repo://*\"], or remove the key");
        var prompts = ReadTargets(grant, "prompts", "list prompt-name globs, e.g. [\"summarize_*\"], or remove the key");

        var deny = grant.TryGet("deny", out var denyElement, out var denyPath) && (Bool(denyElement, denyPath) ?? false);
        if (deny && servers is not null)
        {
            CheckDenyServers(servers, serverElement, serverPath);
        }

        if (servers is null || access is null)
        {
            return null;
        }

        return new GrantSpec(id, index, servers.AsReadOnly(), access.Value, deny, tools?.AsReadOnly(), resources?.AsReadOnly(), prompts?.AsReadOnly());
    }

    /// <summary>
    /// <b>(differs)</b> A deny grant naming (without <c>*</c>) a server that mcpServers does not define can never fire:
    /// a misspelt alias there silently widens access, so it is refused like an unknown key.
    /// </summary>
    private void CheckDenyServers(List<string> servers, JsonElement serverElement, string serverPath)
    {
        for (var i = 0; i < servers.Count; i++)
        {
            var name = servers[i];
            if (name.Contains('*', StringComparison.Ordinal) || declaredAliases.Contains(name))
            {
                continue;
            }

            var close = Suggestions.Closest(name, declaredAliases);
            Error(
                serverElement.ValueKind == JsonValueKind.Array ? JsonPaths.Index(serverPath, i) : serverPath,
                $"deny grant names server \"{Shorten(name)}\", which mcpServers does not define, so it would never deny anything",
                close is not null ? $"did you mean \"{close}\"?" : "use an alias defined in mcpServers, or a glob such as \"prod-*\"");
        }
    }

    /// <summary>
    /// A grant's tools/resources/prompts list. <b>(differs)</b> <c>[]</c> is refused: upstream reads it as "every
    /// target", McpGate would read it as "none", and neither reading is safe to guess.
    /// </summary>
    private List<string>? ReadTargets(ObjectView grant, string key, string emptyFix)
    {
        return grant.TryGet(key, out var element, out var path)
            ? Patterns(element, path, allowSingle: false, allowEmptyList: false, emptyFix)
            : null;
    }

    private GrantAccess? ReadGrantAccess(JsonElement element, string path)
    {
        var value = String(element, path, "write \"read\", \"write\" or \"*\"");
        switch (value)
        {
            case null:
                return null;
            case "read":
                return GrantAccess.Read;
            case "write":
                return GrantAccess.Write;
            case "*":
                return GrantAccess.Any;
        }

        var lower = value.ToLowerInvariant();
        string fix;
        if (lower is "read" or "write")
        {
            fix = $"write it in lowercase: \"{lower}\"";
        }
        else if (lower is "all" or "any" or "both" or "rw" or "readwrite" or "read-write" or "read_write" or "full")
        {
            fix = "use \"*\" for both read and write";
        }
        else
        {
            var close = Suggestions.Closest(lower, ["read", "write"]);
            fix = close is not null ? $"did you mean \"{close}\"?" : "write \"read\", \"write\" or \"*\"";
        }

        Error(path, $"access \"{Shorten(value)}\" is not \"read\", \"write\" or \"*\" (lowercase)", fix);
        return null;
    }

    private LegacyAclSpec? ReadLegacy(JsonElement element, string path)
    {
        var acl = Object(element, path, s_legacyAclKeys, suggestFrom: s_allAclKeys, explainUnknown: key => key == "strictClassification"
            ? ("\"strictClassification\" applies only to the role-based schema (an acl with \"roles\" or \"subjects\")",
               "define roles and subjects, or remove \"strictClassification\"")
            : null);
        if (acl is null)
        {
            return null;
        }

        var defaultVerdict = acl.TryGet("default", out var defaultElement, out var defaultPath)
            ? ReadVerdict(defaultElement, defaultPath) ?? Verdict.Allow
            : Verdict.Allow;

        var rules = new List<LegacyRuleSpec>();
        if (acl.TryGet("rules", out var rulesElement, out var rulesPath))
        {
            if (rulesElement.ValueKind != JsonValueKind.Array)
            {
                Expected(rulesElement, rulesPath, "a list of rules", "write \"rules\": [ { \"subjects\": [\"bob\"], \"tools\": [\"github__*\"], \"policy\": \"allow\" } ]");
            }
            else
            {
                var index = 0;
                foreach (var item in rulesElement.EnumerateArray())
                {
                    var rule = ReadLegacyRule(item, JsonPaths.Index(rulesPath, index), index);
                    if (rule is not null)
                    {
                        rules.Add(rule);
                    }

                    index++;
                }
            }
        }

        return new LegacyAclSpec(defaultVerdict, rules.AsReadOnly());
    }

    private LegacyRuleSpec? ReadLegacyRule(JsonElement element, string path, int index)
    {
        const string Example = "{ \"subjects\": [\"bob\"], \"roles\": [], \"tools\": [\"github__get_*\"], \"policy\": \"allow\" }";
        var rule = Object(element, path, s_ruleKeys, "a rule is an object: " + Example);
        if (rule is null)
        {
            return null;
        }

        IReadOnlyList<string> subjects = [];
        if (rule.TryGet("subjects", out var subjectsElement, out var subjectsPath))
        {
            subjects = StringList(subjectsElement, subjectsPath, allowEmptyList: true, "write a list of subjects, e.g. [\"bob\"] or [\"*\"]") ?? [];
        }

        IReadOnlyList<string> roles = [];
        if (rule.TryGet("roles", out var rolesElement, out var rolesPath))
        {
            roles = StringList(rolesElement, rolesPath, allowEmptyList: true, "write a list of roles, e.g. [\"dev\"] or [\"*\"]") ?? [];
        }

        List<string>? tools = null;
        if (rule.TryGet("tools", out var toolsElement, out var toolsPath))
        {
            tools = Patterns(toolsElement, toolsPath, allowSingle: false, allowEmptyList: true, string.Empty);
        }
        else
        {
            Error(path, "missing \"tools\"", "add \"tools\": [\"<alias>__<tool glob>\"], e.g. [\"github__*\"]");
        }

        Verdict? policy = null;
        if (rule.TryGet("policy", out var policyElement, out var policyPath))
        {
            policy = ReadVerdict(policyElement, policyPath);
        }
        else
        {
            Error(path, "missing \"policy\"", "add \"policy\": \"allow\" or \"deny\"");
        }

        return tools is null || policy is null
            ? null
            : new LegacyRuleSpec(index, subjects, roles, tools.AsReadOnly(), policy.Value);
    }
}
