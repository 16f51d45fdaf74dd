using System.Text.Json;
using McpGate.Audit.Reading;

namespace McpGate.Audit.Reading.Alerts;

/// <summary>
/// Counts audit lines against alert rules. Fed one line at a time (<see cref="Add"/>), so a log of any size is read
/// in constant memory per group; pure logic, no files.
/// </summary>
/// <remarks>
/// Windows trail from <c>now</c>: a line counts for a rule when its <c>ts</c> is no older than
/// <c>now - min(rule.window, since)</c>. <c>--since</c> therefore narrows a rule's window and never widens it.
/// A line is malformed when it is not a JSON object with a parseable <c>ts</c>; it is skipped and counted.
/// </remarks>
public sealed class AlertEvaluator : IAuditLineConsumer
{
    public const int MalformedSampleLimit = 5;

    // An audit line is one flat object with a few short arrays; anything deeper is not one.
    private static readonly JsonReaderOptions s_lineOptions = new() { MaxDepth = 8 };

    private readonly IReadOnlyList<AlertRule> _rules;
    private readonly DateTimeOffset[] _cutoffs;
    private readonly Dictionary<string, GroupCount>[] _groups;
    private readonly DateTimeOffset _oldestCounted;
    private readonly List<string> _malformedSamples = [];

    public AlertEvaluator(IReadOnlyList<AlertRule> rules, DateTimeOffset now, TimeSpan since)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(since, TimeSpan.Zero);
        _rules = rules;
        Now = now;
        Since = since;
        _cutoffs = new DateTimeOffset[rules.Count];
        _groups = new Dictionary<string, GroupCount>[rules.Count];
        _oldestCounted = now - since;
        for (var i = 0; i < rules.Count; i++)
        {
            _cutoffs[i] = now - (rules[i].Window < since ? rules[i].Window : since);
            _groups[i] = new Dictionary<string, GroupCount>(StringComparer.Ordinal);
        }
    }

    public DateTimeOffset Now { get; }

    public TimeSpan Since { get; }

    /// <summary>No rule counts a line older than <c>now - since</c>.</summary>
    public DateTimeOffset? NotBefore => Now - Since;

    /// <summary>Non-blank lines seen.</summary>
    public long Lines { get; private set; }

    /// <summary>Well-formed lines within <c>--since</c>.</summary>
    public long LinesInRange { get; private set; }

    public long MalformedLines { get; private set; }

    /// <param name="line">One line, without its line break.</param>
    /// <param name="source">The file (or <c>stdin</c>) and <paramref name="lineNumber"/>, named in the malformed-line samples.</param>
    public void Add(ReadOnlySpan<byte> line, string source, long lineNumber)
    {
        line = line.TrimEnd("\r"u8).Trim(" \t"u8);
        if (line.IsEmpty)
        {
            return;
        }

        Lines++;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(line, s_lineOptions);
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                // Two values on one line (a torn write followed by the next record): neither is trustworthy.
                document.Dispose();
                Malformed(source, lineNumber);
                return;
            }
        }
        catch (JsonException)
        {
            Malformed(source, lineNumber);
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(AuditFields.Ts, out var tsElement)
                || tsElement.ValueKind != JsonValueKind.String
                || !tsElement.TryGetDateTimeOffset(out var ts))
            {
                Malformed(source, lineNumber);
                return;
            }

            if (ts < _oldestCounted)
            {
                return;
            }

            LinesInRange++;
            for (var i = 0; i < _rules.Count; i++)
            {
                if (ts >= _cutoffs[i] && _rules[i].Matches(root))
                {
                    Count(i, root, ts);
                }
            }
        }
    }

    /// <summary>A line too long to be an audit line, skipped unread.</summary>
    public void AddOversizedLine(string source, long lineNumber)
    {
        Lines++;
        Malformed(source, lineNumber);
    }

    /// <summary>The groups over their rule's threshold: most severe first, then in rule order, largest count first.</summary>
    public IReadOnlyList<Alert> Alerts()
    {
        var alerts = new List<(Alert Alert, int RuleIndex)>();
        for (var i = 0; i < _rules.Count; i++)
        {
            var rule = _rules[i];
            foreach (var group in _groups[i].Values)
            {
                if (group.Count > rule.Threshold)
                {
                    alerts.Add((new Alert(rule, group.Values, group.Count, group.First, group.Last), i));
                }
            }
        }

        alerts.Sort((a, b) =>
        {
            var order = b.Alert.Rule.Severity.CompareTo(a.Alert.Rule.Severity);
            if (order == 0)
            {
                order = a.RuleIndex.CompareTo(b.RuleIndex);
            }

            if (order == 0)
            {
                order = b.Alert.Count.CompareTo(a.Alert.Count);
            }

            return order != 0 ? order : string.CompareOrdinal(a.Alert.GroupText, b.Alert.GroupText);
        });
        return alerts.ConvertAll(a => a.Alert);
    }

    /// <summary>Up to <see cref="MalformedSampleLimit"/> <c>file:line</c> locations of skipped lines.</summary>
    public IReadOnlyList<string> MalformedSamples => _malformedSamples;

    private void Malformed(string source, long lineNumber)
    {
        MalformedLines++;
        if (_malformedSamples.Count < MalformedSampleLimit)
        {
            _malformedSamples.Add($"{source}:{lineNumber}");
        }
    }

    private void Count(int ruleIndex, JsonElement root, DateTimeOffset ts)
    {
        var groupBy = _rules[ruleIndex].GroupBy;
        var values = new KeyValuePair<string, string?>[groupBy.Count];
        for (var g = 0; g < groupBy.Count; g++)
        {
            values[g] = new(groupBy[g], GroupValue(root, groupBy[g]));
        }

        var key = GroupKey(values);
        if (!_groups[ruleIndex].TryGetValue(key, out var group))
        {
            group = new GroupCount(values, ts);
            _groups[ruleIndex].Add(key, group);
        }

        group.Add(ts);
    }

    private static string? GroupValue(JsonElement root, string field)
    {
        if (!root.TryGetProperty(field, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => value.GetRawText(),
        };
    }

    private static string GroupKey(KeyValuePair<string, string?>[] values)
    {
        if (values.Length == 0)
        {
            return string.Empty;
        }

        // Null and "null" must not share a group: nulls get a marker no JSON string value can produce unescaped.
        return string.Join('\u001f', values.Select(v => v.Value is null ? "\u0000" : "=" + v.Value));
    }

    private sealed class GroupCount(KeyValuePair<string, string?>[] values, DateTimeOffset first)
    {
        public KeyValuePair<string, string?>[] Values { get; } = values;

        public long Count { get; private set; }

        public DateTimeOffset First { get; private set; } = first;

        public DateTimeOffset Last { get; private set; } = first;

        public void Add(DateTimeOffset ts)
        {
            Count++;
            if (ts < First)
            {
                First = ts;
            }

            if (ts > Last)
            {
                Last = ts;
            }
        }
    }
}

/// <summary>A rule that fired for one group.</summary>
public sealed record Alert(AlertRule Rule, IReadOnlyList<KeyValuePair<string, string?>> Group, long Count, DateTimeOffset FirstSeen, DateTimeOffset LastSeen)
{
    /// <summary><c>subject=bob server=github</c>; empty when the rule does not group.</summary>
    public string GroupText => string.Join(' ', Group.Select(g => $"{g.Key}={g.Value ?? "null"}"));
}
