namespace McpGate.Policy.Classification;

/// <summary>The tool-name word lists of docs/classifier.md, "3. Scoring": each READ token +1, each WRITE token
/// −2.</summary>
internal static class NameSignals
{
    public const int ReadWeight = 1;
    public const int WriteWeight = -2;

    public static readonly string[] ReadWords =
    [
        "get", "list", "search", "find", "query", "read", "fetch", "describe", "show", "view", "inspect",
        "analyze", "check", "status", "history", "logs", "events", "explain", "diff", "top", "snapshot",
        "dump", "export", "poll", "info", "stats", "count", "whoami", "version", "resolve", "backlinks",
    ];

    public static readonly string[] WriteWords =
    [
        "create", "update", "delete", "remove", "write", "set", "patch", "put", "post", "send", "apply",
        "execute", "run", "start", "stop", "cancel", "kill", "drop", "insert", "upsert", "modify", "edit",
        "rename", "move", "copy", "upload", "publish", "deploy", "rollout", "scale", "drain", "cordon",
        "taint", "exec", "attach", "click", "navigate", "type", "fill", "press", "drag", "reply", "react",
        "add",
    ];

    private static readonly WordTable s_words = new(Weighted());

    /// <summary>Adds each name token's weight; every token counts, so a repeated word counts again.</summary>
    public static int Score(string name, List<string>? reasons)
    {
        var score = 0;
        foreach (var token in NameTokenizer.Enumerate(name))
        {
            if (s_words.TryMatch(token, out var word, out var weight))
            {
                score += weight;
                reasons?.Add($"name token '{word}' → {ScoreText.Kind(weight)} ({ScoreText.Weight(weight)})");
            }
        }

        return score;
    }

    private static IEnumerable<KeyValuePair<string, int>> Weighted()
    {
        foreach (var word in ReadWords)
        {
            yield return new(word, ReadWeight);
        }

        foreach (var word in WriteWords)
        {
            yield return new(word, WriteWeight);
        }
    }
}
