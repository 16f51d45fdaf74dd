using System.Globalization;
using System.Text.Json;
using McpGate.Policy.Globbing;

namespace McpGate.Audit.Reading.Alerts;

public enum AlertSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>
/// One alert rule: it fires, once per group, when more than <see cref="Threshold"/> audit lines that satisfy every
/// <see cref="Match"/> fall within the last <see cref="Window"/>.
/// </summary>
public sealed class AlertRule
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public AlertSeverity Severity { get; init; } = AlertSeverity.Medium;

    public required TimeSpan Window { get; init; }

    /// <summary>The window as written (<c>24h</c>), for messages.</summary>
    public required string WindowText { get; init; }

    /// <summary>Fires when the count is greater than this.</summary>
    public long Threshold { get; init; }

    /// <summary>All must hold (AND); an empty list matches every line.</summary>
    public IReadOnlyList<FieldMatch> Match { get; init; } = [];

    /// <summary>Audit fields whose values split the count; empty counts all matching lines together.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    public bool IsBuiltIn { get; init; }

    public bool Matches(JsonElement line)
    {
        foreach (var match in Match)
        {
            if (!match.IsMatch(line))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One <c>match</c> entry: the field's value must equal one of <see cref="AnyOf"/>.</summary>
public sealed class FieldMatch
{
    public FieldMatch(string field, IReadOnlyList<MatchValue> anyOf)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentNullException.ThrowIfNull(anyOf);
        Field = field;
        AnyOf = anyOf;
    }

    public string Field { get; }

    public IReadOnlyList<MatchValue> AnyOf { get; }

    public bool IsMatch(JsonElement line)
    {
        // A missing field reads as null: old lines, or hand-made ones, match `null` like the gate's own nulls.
        var value = line.TryGetProperty(Field, out var found) ? found : default;
        foreach (var expected in AnyOf)
        {
            if (expected.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString()
        => AnyOf.Count == 1 ? $"{Field}={AnyOf[0]}" : $"{Field}=[{string.Join(",", AnyOf)}]";
}

/// <summary>
/// A scalar a field is compared with. A string is a policy glob (<c>*</c> matches any run of characters,
/// case-sensitive); against a list field (<c>roles</c>, <c>arg_keys</c>, <c>hidden</c>) it matches when any item does.
/// </summary>
public sealed class MatchValue
{
    private readonly JsonValueKind _kind;
    private readonly Glob? _glob;
    private readonly double _number;

    private MatchValue(JsonValueKind kind, Glob? glob, double number)
    {
        _kind = kind;
        _glob = glob;
        _number = number;
    }

    public static MatchValue Null { get; } = new(JsonValueKind.Null, null, 0);

    public static MatchValue True { get; } = new(JsonValueKind.True, null, 0);

    public static MatchValue False { get; } = new(JsonValueKind.False, null, 0);

    public static MatchValue String(string pattern) => new(JsonValueKind.String, new Glob(pattern), 0);

    public static MatchValue Number(double value) => new(JsonValueKind.Number, null, value);

    /// <summary><paramref name="value"/> may be <c>default</c> (a field the line lacks), which matches <see cref="Null"/>.</summary>
    public bool IsMatch(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Undefined:
            case JsonValueKind.Null:
                return _kind == JsonValueKind.Null;
            case JsonValueKind.String:
                if (_kind != JsonValueKind.String)
                {
                    return false;
                }

                // Exact patterns compare without materialising the string: most rules are exact.
                return _glob!.IsExact ? value.ValueEquals(_glob.Pattern) : _glob.IsMatch(value.GetString());
            case JsonValueKind.Number:
                return _kind == JsonValueKind.Number && value.TryGetDouble(out var number) && number == _number;
            case JsonValueKind.True:
            case JsonValueKind.False:
                return _kind == value.ValueKind;
            case JsonValueKind.Array:
                if (_kind == JsonValueKind.Null)
                {
                    return false;
                }

                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Array && IsMatch(item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    public override string ToString() => _kind switch
    {
        JsonValueKind.String => _glob!.Pattern,
        JsonValueKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };
}
