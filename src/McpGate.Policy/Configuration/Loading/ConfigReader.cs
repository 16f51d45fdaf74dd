using System.Text;
using System.Text.Json;
using McpGate.Policy.Evaluation;

namespace McpGate.Policy.Configuration.Loading;

/// <summary>
/// Walks one <c>servers.json</c> document and builds a <see cref="GateConfig"/>, collecting every problem on the way
/// (acl.md §1): all errors are reported together, each with its JSON path, position and fix. The walk never stops at
/// the first error; the config is only built when none was found.
/// </summary>
internal sealed partial class ConfigReader
{
    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    // "audit" is the Rust proxy's own audit section: accepted so a shared servers.json loads, and ignored
    // (McpGate's audit settings live in gateway.audit).
    private static readonly string[] s_topKeys = ["$schema", "mcpServers", "serverAuth", "gateway", "audit"];

    private readonly string _sourcePath;
    private readonly Func<string, string?> _environment;
    private readonly List<ConfigError> _errors = [];

    // Error paths that hide a secret (a plain bearer token key) mapped to the real path, for line/column lookup.
    private readonly List<(string DisplayPrefix, string RealPrefix)> _pathAliases = [];
    private JsonPositionMap _positions = JsonPositionMap.Empty;

    // Aliases read from mcpServers (valid or not), for checking the server names that deny grants spell out.
    private HashSet<string> _declaredAliases = new(StringComparer.Ordinal);

    public ConfigReader(string sourcePath, Func<string, string?> environment)
    {
        _sourcePath = sourcePath;
        _environment = environment;
    }

    public GateConfig Read(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_documentOptions);
        }
        catch (JsonException exception)
        {
            throw new ConfigLoadException(_sourcePath, [SyntaxError(utf8, exception)]);
        }

        using (document)
        {
            _positions = JsonPositionMap.Build(utf8, s_readerOptions);
            return ReadRoot(document.RootElement);
        }
    }

    private GateConfig ReadRoot(JsonElement root)
    {
        var top = Object(root, JsonPaths.Root, s_topKeys, fix: "the file must be one JSON object: { \"mcpServers\": { ... } }");
        if (top is null)
        {
            throw new ConfigLoadException(_sourcePath, _errors);
        }

        if (top.TryGet("$schema", out var schema, out var schemaPath))
        {
            String(schema, schemaPath);
        }

        var servers = ReadServers(top);
        _declaredAliases = [.. DeclaredAliases(top)];
        var (auth, acl) = ReadServerAuth(top);
        var gateway = ReadGateway(top);
        if (_errors.Count > 0)
        {
            throw new ConfigLoadException(_sourcePath, _errors);
        }

        return new GateConfig
        {
            SourcePath = _sourcePath,
            Servers = servers.AsReadOnly(),
            Auth = auth,
            Gateway = gateway,
            Evaluator = PolicyEvaluator.Create(acl, servers.Keys),
        };
    }

    private static IEnumerable<string> DeclaredAliases(ObjectView top) =>
        top.TryGet("mcpServers", out var element, out _) && element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Select(p => p.Name)
            : [];

    private static ConfigError SyntaxError(byte[] utf8, JsonException exception)
    {
        var (line, column) = new LineIndex(utf8).Locate(exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        return new ConfigError(
            JsonPaths.Root,
            $"invalid JSON: {message.TrimEnd('.', ' ')}",
            $"correct the JSON syntax at line {line}, column {column} (// comments and trailing commas are accepted; keys and strings need double quotes)",
            line,
            column);
    }

    // ----- Errors -----

    private void Error(string path, string message, string? fix, int occurrence = 0)
    {
        var positionPath = path;
        foreach (var (displayPrefix, realPrefix) in _pathAliases)
        {
            if (path.StartsWith(displayPrefix, StringComparison.Ordinal))
            {
                positionPath = realPrefix + path[displayPrefix.Length..];
                break;
            }
        }

        var position = _positions.Find(positionPath, occurrence);
        _errors.Add(new ConfigError(path, message, fix, position?.Line, position?.Column));
    }

    private void Expected(JsonElement element, string path, string expected, string? fix)
    {
        Error(path, $"expected {expected}, found {Describe(element)}", fix);
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string \"{Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static string Quote(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));

    // ----- Objects -----

    /// <summary>
    /// Checks that <paramref name="element"/> is an object and returns its members. Duplicate keys are errors;
    /// with <paramref name="knownKeys"/> (a fixed-shape object, not a map), unknown keys are errors too, with the
    /// closest known key (or one from <paramref name="suggestFrom"/>) as a suggestion.
    /// </summary>
    private ObjectView? Object(
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

    private void UnknownKey(
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

    private string? String(JsonElement element, string path, string? fix = null, bool allowEmpty = false)
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

    private string? Substitute(string raw, string path)
    {
        var problems = new List<EnvironmentSubstitution.Problem>();
        var value = EnvironmentSubstitution.Substitute(raw, _environment, problems);
        foreach (var problem in problems)
        {
            Error(path, problem.Message, problem.Fix);
        }

        return value;
    }

    private bool? Bool(JsonElement element, string path)
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

    private int? Int(JsonElement element, string path, string fix)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value))
        {
            return value;
        }

        Expected(element, path, "a whole number", fix);
        return null;
    }

    private long? Long(JsonElement element, string path, string fix)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value))
        {
            return value;
        }

        Expected(element, path, "a whole number", fix);
        return null;
    }

    private double? Number(JsonElement element, string path, string fix)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value))
        {
            return value;
        }

        Expected(element, path, "a number", fix);
        return null;
    }

    /// <summary><c>allow</c> or <c>deny</c>, lowercase only.</summary>
    private Verdict? ReadVerdict(JsonElement element, string path)
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
    private List<string>? StringList(
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

    /// <summary>Glob patterns (acl.md §2.3): a non-empty list of non-empty strings, or one string when allowed.</summary>
    private List<string>? Patterns(JsonElement element, string path, bool allowSingle, bool allowEmptyList, string emptyFix)
    {
        if (allowSingle && element.ValueKind == JsonValueKind.String)
        {
            var single = String(element, path, "give a glob such as \"*\" or \"github\"");
            return single is null ? null : [single];
        }

        return StringList(element, path, allowEmptyList, "write a list of globs, e.g. [\"list_*\", \"get_file\"]", emptyFix);
    }

    private sealed class ObjectView(string path)
    {
        private readonly Dictionary<string, (JsonElement Value, string Path)> _byName = new(StringComparer.Ordinal);
        private readonly List<(string Name, JsonElement Value, string Path)> _members = [];

        public string Path { get; } = path;

        /// <summary>Accepted members in document order.</summary>
        public IReadOnlyList<(string Name, JsonElement Value, string Path)> Members => _members;

        public void Add(string name, JsonElement value, string path)
        {
            _byName.Add(name, (value, path));
            _members.Add((name, value, path));
        }

        public bool Has(string name) => _byName.ContainsKey(name);

        public bool TryGet(string name, out JsonElement value, out string path)
        {
            if (_byName.TryGetValue(name, out var member))
            {
                (value, path) = member;
                return true;
            }

            value = default;
            path = JsonPaths.Property(Path, name);
            return false;
        }
    }
}
