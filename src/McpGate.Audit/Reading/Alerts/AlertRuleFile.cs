using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpGate.Audit.Reading.Alerts;

/// <summary>
/// Reads a rule file (docs/audit.md, "Rule files"): <c>{"rules": [ {name, event?, match, window, threshold,
/// group_by, severity, description?, enabled?} ]}</c>, or the bare array. Its rules are added to the built-in ones;
/// a rule named like a built-in replaces it, and <c>"enabled": false</c> removes it. Every problem is reported,
/// each with the file and the rule it is in, not only the first.
/// </summary>
public static class AlertRuleFile
{
    public static AlertRuleFileResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return AlertRuleFileResult.Failed($"{path}: cannot read the rule file: {ex.Message}");
        }

        return Parse(bytes, path);
    }

    public static AlertRuleFileResult Parse(ReadOnlySpan<byte> json, string source)
    {
        List<AlertRuleModel>? models;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                models = JsonSerializer.Deserialize(json, AlertRuleJsonContext.Default.ListAlertRuleModel);
            }
            else
            {
                var file = JsonSerializer.Deserialize(json, AlertRuleJsonContext.Default.AlertRuleFileModel);
                models = file?.Rules;
                if (models is null)
                {
                    return AlertRuleFileResult.Failed($"{source}: expected {{\"rules\": [ ... ]}} (see docs/audit.md, \"Rule files\")");
                }
            }
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, {ex.Path ?? "$"})" : string.Empty;
            return AlertRuleFileResult.Failed($"{source}{where}: {FirstSentence(ex.Message)}");
        }

        var errors = new List<string>();
        var rules = new List<AlertRule>();
        var disabled = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (models?.Count ?? 0); i++)
        {
            var model = models![i];
            var at = $"{source}: rules[{i}]" + (string.IsNullOrWhiteSpace(model?.Name) ? string.Empty : $" ({model.Name})");
            if (model is null)
            {
                errors.Add($"{at}: a rule must be an object");
                continue;
            }

            if (string.IsNullOrWhiteSpace(model.Name))
            {
                errors.Add($"{at}: \"name\" is required");
                continue;
            }

            if (!names.Add(model.Name))
            {
                errors.Add($"{at}: another rule in this file is already named \"{model.Name}\"");
                continue;
            }

            if (model.Enabled == false)
            {
                disabled.Add(model.Name);
                continue;
            }

            if (ToRule(model, at, errors) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return errors.Count > 0 ? new AlertRuleFileResult([], [], errors) : new AlertRuleFileResult(rules, disabled, []);
    }

    /// <summary>The built-in rules with a file's rules applied (replace by name, remove the disabled, add the rest).</summary>
    public static IReadOnlyList<AlertRule> Combine(IReadOnlyList<AlertRule> builtIn, AlertRuleFileResult file)
    {
        var result = new List<AlertRule>();
        foreach (var rule in builtIn)
        {
            if (file.Disabled.Contains(rule.Name, StringComparer.Ordinal))
            {
                continue;
            }

            result.Add(file.Rules.FirstOrDefault(r => string.Equals(r.Name, rule.Name, StringComparison.Ordinal)) ?? rule);
        }

        foreach (var rule in file.Rules)
        {
            if (!builtIn.Any(b => string.Equals(b.Name, rule.Name, StringComparison.Ordinal)))
            {
                result.Add(rule);
            }
        }

        return result;
    }

    private static AlertRule? ToRule(AlertRuleModel model, string at, List<string> errors)
    {
        var before = errors.Count;

        if (!AlertDuration.TryParse(model.Window, out var window))
        {
            errors.Add(model.Window is null
                ? $"{at}: \"window\" is required (e.g. {AlertDuration.Examples})"
                : $"{at}: \"window\" \"{model.Window}\" is not a duration (e.g. {AlertDuration.Examples})");
        }

        var threshold = model.Threshold ?? 0;
        if (threshold < 0)
        {
            errors.Add($"{at}: \"threshold\" must be 0 or more (the rule fires when the count is greater)");
        }

        var severity = AlertSeverity.Medium;
        if (model.Severity is not null && !TryParseSeverity(model.Severity, out severity))
        {
            errors.Add($"{at}: \"severity\" must be one of low, medium, high, critical, not \"{model.Severity}\"");
        }

        var matches = new List<FieldMatch>();
        if (model.Event is not null)
        {
            if (model.Match?.ContainsKey(AuditFields.Event) == true)
            {
                errors.Add($"{at}: give the event either as \"event\" or in \"match\", not both");
            }

            matches.Add(new FieldMatch(AuditFields.Event, [MatchValue.String(model.Event)]));
        }

        foreach (var (field, value) in model.Match ?? [])
        {
            if (!IsMatchableField(field, at, "match", errors))
            {
                continue;
            }

            if (ToMatchValues(value) is { } values)
            {
                matches.Add(new FieldMatch(field, values));
            }
            else
            {
                errors.Add($"{at}: match.{field}: expected a string (* is a wildcard), number, true, false, null, or a list of them");
            }
        }

        var groupBy = new List<string>();
        if (model.GroupBy is { ValueKind: not JsonValueKind.Null } groupElement)
        {
            var fields = groupElement.ValueKind switch
            {
                JsonValueKind.String => [groupElement.GetString()!],
                JsonValueKind.Array when groupElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                    => groupElement.EnumerateArray().Select(e => e.GetString()!).ToList(),
                _ => (List<string>?)null,
            };
            if (fields is null)
            {
                errors.Add($"{at}: \"group_by\" must be a field name or a list of field names");
            }
            else
            {
                foreach (var field in fields)
                {
                    if (IsMatchableField(field, at, "group_by", errors))
                    {
                        groupBy.Add(field);
                    }
                }
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new AlertRule
        {
            Name = model.Name!,
            Description = model.Description,
            Severity = severity,
            Window = window,
            WindowText = model.Window!.Trim(),
            Threshold = threshold,
            Match = matches,
            GroupBy = groupBy,
        };
    }

    private static bool IsMatchableField(string field, string at, string where, List<string> errors)
    {
        if (string.Equals(field, AuditFields.Ts, StringComparison.Ordinal))
        {
            errors.Add($"{at}: {where}: \"ts\" is bounded by \"window\", not matched");
            return false;
        }

        if (!AuditFields.IsKnown(field))
        {
            errors.Add($"{at}: {where}: \"{field}\" is not an audit field; fields are {string.Join(", ", AuditFields.All.Skip(1))}");
            return false;
        }

        return true;
    }

    private static List<MatchValue>? ToMatchValues(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return ToMatchValue(value) is { } single ? [single] : null;
        }

        var values = new List<MatchValue>();
        foreach (var item in value.EnumerateArray())
        {
            if (ToMatchValue(item) is not { } alternative)
            {
                return null;
            }

            values.Add(alternative);
        }

        return values.Count > 0 ? values : null;
    }

    private static MatchValue? ToMatchValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => MatchValue.String(value.GetString()!),
        JsonValueKind.Number => MatchValue.Number(value.GetDouble()),
        JsonValueKind.True => MatchValue.True,
        JsonValueKind.False => MatchValue.False,
        JsonValueKind.Null => MatchValue.Null,
        _ => null,
    };

    private static bool TryParseSeverity(string text, out AlertSeverity severity)
    {
        switch (text)
        {
            case "low":
                severity = AlertSeverity.Low;
                return true;
            case "medium":
                severity = AlertSeverity.Medium;
                return true;
            case "high":
                severity = AlertSeverity.High;
                return true;
            case "critical":
                severity = AlertSeverity.Critical;
                return true;
            default:
                severity = AlertSeverity.Medium;
                return false;
        }
    }

    // System.Text.Json appends "Path: $... | LineNumber: ..." which the caller already reports in its own words.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

public sealed record AlertRuleFileResult(IReadOnlyList<AlertRule> Rules, IReadOnlyList<string> Disabled, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static AlertRuleFileResult Failed(string error) => new([], [], [error]);
}

internal sealed class AlertRuleFileModel
{
    public List<AlertRuleModel>? Rules { get; set; }
}

internal sealed class AlertRuleModel
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? Event { get; set; }

    public Dictionary<string, JsonElement>? Match { get; set; }

    public string? Window { get; set; }

    public long? Threshold { get; set; }

    public JsonElement? GroupBy { get; set; }

    public string? Severity { get; set; }

    public bool? Enabled { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(AlertRuleFileModel))]
[JsonSerializable(typeof(List<AlertRuleModel>))]
internal sealed partial class AlertRuleJsonContext : JsonSerializerContext;
