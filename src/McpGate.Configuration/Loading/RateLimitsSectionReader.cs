using System.Collections.ObjectModel;
using System.Text.Json;
using McpGate.Policy.Evaluation;
using McpGate.Policy.Globbing;
using McpGate.Policy.RateLimits;

namespace McpGate.Configuration.Loading;

/// <summary><c>gateway.rateLimits</c> (docs/observability.md, "Rate limits"): a list of rules, each checked on its own.</summary>
internal sealed class RateLimitsSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private const string RuleExample = "{ \"roles\": [\"dev\"], \"server\": \"prod-*\", \"access\": \"write\", \"limit\": 30, \"per\": \"1m\" }";
    private static readonly string[] s_ruleKeys = ["name", "subjects", "roles", "server", "tool", "access", "limit", "per"];

    // A bucket holds at most this many tokens: more is no limit at all, and a typo (30000 for 30) would hide.
    private const int MaxLimit = 1_000_000;

    public ReadOnlyCollection<RateLimitRule> Read(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            Expected(element, path, "a list of rules", $"write \"rateLimits\": [ {RuleExample} ]");
            return ReadOnlyCollection<RateLimitRule>.Empty;
        }

        var rules = new List<RateLimitRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var rulePath = JsonPaths.Index(path, index);
            if (ReadRule(item, rulePath, $"rateLimits[{index}]") is { } rule)
            {
                if (!names.Add(rule.Name))
                {
                    Error(rulePath, $"two rate-limit rules are named \"{Shorten(rule.Name)}\"", "give each rule its own name: the audit log and the error name the rule");
                }
                else
                {
                    rules.Add(rule);
                }
            }

            index++;
        }

        return rules.AsReadOnly();
    }

    private RateLimitRule? ReadRule(JsonElement element, string path, string defaultName)
    {
        var rule = Object(element, path, s_ruleKeys, $"write a rule such as {RuleExample}");
        if (rule is null)
        {
            return null;
        }

        var ok = true;
        var name = defaultName;
        if (rule.TryGet("name", out var nameElement, out var namePath))
        {
            var value = String(nameElement, namePath, "give the rule a short name, e.g. \"dev-writes\"");
            ok &= value is not null;
            name = value ?? name;
        }

        var subjects = Names(rule, "subjects", "write a list of subject names, e.g. [\"bob\"], or [\"*\"] for every caller", ref ok);
        var roles = Names(rule, "roles", "write a list of role names, e.g. [\"dev\"], or [\"*\"] for every caller", ref ok);
        if (!rule.Has("subjects") && !rule.Has("roles"))
        {
            Error(path, "the rule names no caller", "add \"roles\": [\"dev\"], \"subjects\": [\"bob\"], or \"subjects\": [\"*\"] for every caller");
            ok = false;
        }

        var server = GlobOf(rule, "server", "give a server alias or glob, e.g. \"prod-*\"", ref ok);
        var tool = GlobOf(rule, "tool", "give a tool name or glob, e.g. \"create_*\"", ref ok);

        AccessKind? access = null;
        if (rule.TryGet("access", out var accessElement, out var accessPath))
        {
            switch (String(accessElement, accessPath, "write \"read\", \"write\" or \"*\""))
            {
                case null:
                    ok = false;
                    break;
                case "read":
                    access = AccessKind.Read;
                    break;
                case "write":
                    access = AccessKind.Write;
                    break;
                case "*":
                    break;
                case var other:
                    var close = Suggestions.Closest(other, ["read", "write"]);
                    Error(accessPath, $"\"{Shorten(other)}\" is not \"read\", \"write\" or \"*\"", close is not null ? $"did you mean \"{close}\"?" : "write \"read\", \"write\" or \"*\" (both)");
                    ok = false;
                    break;
            }
        }

        int? limit = null;
        if (rule.TryGet("limit", out var limitElement, out var limitPath))
        {
            var fix = $"give how many calls a caller may make per window, from 1 to {MaxLimit}, e.g. 30";
            limit = Int(limitElement, limitPath, fix);
            if (limit is < 1 or > MaxLimit)
            {
                Error(limitPath, $"limit must be from 1 to {MaxLimit}, found {limit}", fix);
                limit = null;
            }
        }
        else
        {
            Error(path, "the rule has no \"limit\"", "add \"limit\": 30 (calls per window)");
        }

        TimeSpan? per = null;
        if (rule.TryGet("per", out var perElement, out var perPath))
        {
            const string Fix = "write a whole number and a unit s, m, h or d, at most one day, e.g. \"30s\" or \"1m\"";
            var value = String(perElement, perPath, Fix);
            if (value is not null && RateLimitWindows.TryParse(value, out var window))
            {
                per = window;
            }
            else if (value is not null)
            {
                Error(perPath, $"\"{Shorten(value)}\" is not a window", Fix);
            }
        }
        else
        {
            Error(path, "the rule has no \"per\"", "add \"per\": \"1m\" (the window the limit counts over)");
        }

        if (!ok || limit is null || per is null || server is null || tool is null)
        {
            return null;
        }

        return new RateLimitRule
        {
            Name = name,
            Subjects = subjects,
            Roles = roles,
            Server = server,
            Tool = tool,
            Access = access,
            Limit = limit.Value,
            Per = per.Value,
        };
    }

    private ReadOnlyCollection<string> Names(ObjectView rule, string key, string fix, ref bool ok)
    {
        if (!rule.TryGet(key, out var element, out var path))
        {
            return ReadOnlyCollection<string>.Empty;
        }

        // One name alone, "*" included, is accepted as is: "subjects": "*" reads as it is meant.
        var names = element.ValueKind == JsonValueKind.String
            ? String(element, path, fix) is { } single ? [single] : null
            : StringList(element, path, allowEmptyList: false, fix);
        ok &= names is not null;
        return (names ?? []).AsReadOnly();
    }

    private Glob? GlobOf(ObjectView rule, string key, string fix, ref bool ok)
    {
        if (!rule.TryGet(key, out var element, out var path))
        {
            return new Glob("*");
        }

        var value = String(element, path, fix);
        ok &= value is not null;
        return value is null ? null : new Glob(value);
    }
}
