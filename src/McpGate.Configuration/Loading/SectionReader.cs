using System.Text.Json;
using McpGate.Policy.Evaluation;

namespace McpGate.Configuration.Loading;

/// <summary>
/// What every section reader shares: the error sink and the typed, error-reporting readers of JSON values. A
/// reader never throws on bad input; it reports to <see cref="Errors"/> and returns null (or a default), so one
/// pass finds every problem in the file.
/// </summary>
internal abstract class SectionReader
{
    private readonly Func<string, string?> _environment;

    protected SectionReader(ConfigErrorSink errors, Func<string, string?> environment)
    {
        Errors = errors;
        _environment = environment;
    }

    /// <summary>Looks up <c>${NAME}</c>; a section hands it on to the readers it delegates to.</summary>
    protected Func<string, string?> Environment => _environment;

    /// <summary>Where all sections of one file report their problems.</summary>
    protected ConfigErrorSink Errors { get; }

    // ----- Errors -----

    protected void Error(string path, string message, string? fix, int occurrence = 0) =>
        Errors.Add(path, message, fix, occurrence);

    protected void Expected(JsonElement element, string path, string expected, string? fix)
    {
        Error(path, $"expected {expected}, found {Describe(element)}", fix);
    }

    protected static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    protected static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    protected static string Quote(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));

    // ----- Objects -----

    /// <summary>
    /// Checks that <paramref name="element"/> is an object and returns its members. Duplicate keys are errors;
    /// with <paramref name="knownKeys"/> (a fixed-shape object, not a map), unknown keys are errors too, with the
    /// closest known key (or one from <paramref name="suggestFrom"/>) as a suggestion.
    /// </summary>
    protected ObjectView? Object(
        JsonElement element,
        string path,
        IReadOnlyList<string>? knownKeys,
        string? fix = null,
        IReadOnlyList<string>? suggestFrom = null,
        Func<string, (string Message, string Fix)?>? explainUnknown = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Expected(element, path, "an object", fix);
            return null;
        }

        var view = new ObjectView(path);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var childPath = JsonPaths.Property(path, property.Name);
            seen.TryGetValue(property.Name, out var occurrence);
            seen[property.Name] = occurrence + 1;
            if (occurrence > 0)
            {
                Error(
                    childPath,
                    $"duplicate key \"{property.Name}\"",
                    "keep only one of them (other tools silently use the last one; McpGate refuses to guess)",
                    occurrence);
                continue;
            }

            if (knownKeys is not null && !knownKeys.Contains(property.Name))
            {
                UnknownKey(property.Name, childPath, knownKeys, suggestFrom, explainUnknown);
                continue;
            }

            view.Add(property.Name, property.Value, childPath);
        }

        return view;
    }

    protected void UnknownKey(
        string name,
        string path,
        IReadOnlyList<string> knownKeys,
        IReadOnlyList<string>? suggestFrom,
        Func<string, (string Message, string Fix)?>? explainUnknown)
    {
        if (explainUnknown?.Invoke(name) is { } explained)
        {
            Error(path, explained.Message, explained.Fix);
            return;
        }

        var suggestion = Suggestions.Closest(name, suggestFrom ?? knownKeys);
        var fix = suggestion is not null
            ? $"did you mean \"{suggestion}\"?"
            : $"remove it; the keys allowed here are {Quote(knownKeys.Where(k => k != "$schema"))}";
        Error(path, $"unknown key \"{name}\" (an unknown key would otherwise be ignored and could widen access)", fix);
    }

    // ----- Scalars -----

    protected string? String(JsonElement element, string path, string? fix = null, bool allowEmpty = false)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            Expected(element, path, "a string", fix);
            return null;
        }

        var value = Substitute(element.GetString()!, path);
        if (value is null)
        {
            return null;
        }

        if (!allowEmpty && value.Length == 0)
        {
            Error(path, "the value is empty", fix ?? "give a value, or remove the key");
            return null;
        }

        return value;
    }

    protected string? Substitute(string raw, string path)
    {
        var problems = new List<EnvironmentSubstitution.Problem>();
        var value = EnvironmentSubstitution.Substitute(raw, _environment, problems);
        foreach (var problem in problems)
        {
            Error(path, problem.Message, problem.Fix);
        }

        return value;
    }

    protected bool? Bool(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                Expected(element, path, "true or false", "write true or false without quotes");
                return null;
        }
    }

    protected int? Int(JsonElement element, string path, string fix)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value))
        {
            return value;
        }

        Expected(element, path, "a whole number", fix);
        return null;
    }

    protected long? Long(JsonElement element, string path, string fix)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value))
        {
            return value;
        }

        Expected(element, path, "a whole number", fix);
        return null;
    }

    protected double? Number(JsonElement element, string path, string fix)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        Expected(element, path, "a number", fix);
        return null;
    }

    /// <summary><c>allow</c> or <c>deny</c>, lowercase only.</summary>
    protected Verdict? ReadVerdict(JsonElement element, string path)
    {
        var value = String(element, path, "write \"allow\" or \"deny\"");
        switch (value)
        {
            case null:
                return null;
            case "allow":
                return Verdict.Allow;
            case "deny":
                return Verdict.Deny;
        }

        var lower = value.ToLowerInvariant();
        var fix = lower is "allow" or "deny"
            ? $"write it in lowercase: \"{lower}\""
            : Suggestions.Closest(value, ["allow", "deny"]) is { } close ? $"did you mean \"{close}\"?" : "write \"allow\" or \"deny\"";
        Error(path, $"\"{Shorten(value)}\" is not \"allow\" or \"deny\"", fix);
        return null;
    }

    // ----- Lists -----

    /// <summary>A list of strings; <paramref name="allowEmptyList"/> says whether <c>[]</c> is accepted.</summary>
    protected List<string>? StringList(
        JsonElement element,
        string path,
        bool allowEmptyList,
        string? fix = null,
        string? emptyFix = null,
        bool allowEmptyItems = false)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            var wrap = element.ValueKind == JsonValueKind.String ? $"write it as a list: [\"{Shorten(element.GetString()!)}\"]" : fix;
            Expected(element, path, "a list of strings", wrap);
            return null;
        }

        var list = new List<string>();
        var ok = true;
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var value = String(item, JsonPaths.Index(path, index++), fix, allowEmptyItems);
            if (value is null)
            {
                ok = false;
            }
            else
            {
                list.Add(value);
            }
        }

        if (ok && !allowEmptyList && list.Count == 0)
        {
            Error(path, "the list is empty, so it matches nothing", emptyFix ?? fix ?? "add at least one entry, or remove the key");
            return null;
        }

        return ok ? list : null;
    }

    /// <summary>Glob patterns (docs/acl.md, "Globs"): a non-empty list of non-empty strings, or one string when allowed.</summary>
    protected List<string>? Patterns(JsonElement element, string path, bool allowSingle, bool allowEmptyList, string emptyFix)
    {
        if (allowSingle && element.ValueKind == JsonValueKind.String)
        {
            var single = String(element, path, "give a glob such as \"*\" or \"github\"");
            return single is null ? null : [single];
        }

        return StringList(element, path, allowEmptyList, "write a list of globs, e.g. [\"list_*\", \"get_file\"]", emptyFix);
    }

    /// <summary>An RFC 9110 token: what an HTTP header name may be.</summary>
    protected static bool IsHeaderName(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
