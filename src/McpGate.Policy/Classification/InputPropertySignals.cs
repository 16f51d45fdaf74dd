namespace McpGate.Policy.Classification;

/// <summary>
/// Input-schema property names (docs/classifier.md, "3. Scoring"): paging and filtering suggest a read, a free-form
/// body suggests a write. Names are compared lower-cased and each property counts.
/// </summary>
internal static class InputPropertySignals
{
    public static readonly string[] ReadNames = ["limit", "offset", "page", "cursor", "filter", "pattern"];

    public static readonly string[] WriteNames = ["body", "content", "payload"];

    private static readonly WordTable s_names = new(Weighted());

    public static int Score(IReadOnlyList<string> propertyNames, List<string>? reasons)
    {
        var score = 0;
        for (var i = 0; i < propertyNames.Count; i++)
        {
            var name = propertyNames[i];
            if (name is not null && s_names.TryMatch(name, out var word, out var weight))
            {
                score += weight;
                reasons?.Add($"input property '{word}' → {ScoreText.Kind(weight)} ({ScoreText.Weight(weight)})");
            }
        }

        return score;
    }

    private static IEnumerable<KeyValuePair<string, int>> Weighted()
    {
        foreach (var name in ReadNames)
        {
            yield return new(name, 1);
        }

        foreach (var name in WriteNames)
        {
            yield return new(name, -1);
        }
    }
}
