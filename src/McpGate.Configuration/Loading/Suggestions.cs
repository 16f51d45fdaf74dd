namespace McpGate.Configuration.Loading;

/// <summary>"Did you mean" for misspelt keys and values: the closest candidate by edit distance.</summary>
public static class Suggestions
{
    /// <summary>The candidate closest to <paramref name="input"/>, or null when none is close enough to be a typo.</summary>
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        var normalizedInput = Normalize(input);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, input, StringComparison.Ordinal))
            {
                continue;
            }

            var distance = Distance(normalizedInput, Normalize(candidate));
            var allowed = Math.Max(1, Math.Min(normalizedInput.Length, candidate.Length) / 3);
            if (distance <= allowed && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best ?? SharedStem(normalizedInput, candidates);
    }

    // "connectTimeout" → "connectSeconds": no small edit distance, but the same leading word. Only a unique
    // candidate sharing a prefix of at least four characters is offered.
    private static string? SharedStem(string normalizedInput, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestLength = 3;
        var tie = false;
        foreach (var candidate in candidates)
        {
            var normalized = Normalize(candidate);
            var length = 0;
            while (length < normalized.Length && length < normalizedInput.Length && normalized[length] == normalizedInput[length])
            {
                length++;
            }

            if (length > bestLength)
            {
                best = candidate;
                bestLength = length;
                tie = false;
            }
            else if (length == bestLength && best is not null)
            {
                tie = true;
            }
        }

        return tie ? null : best;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    // camelCase, snake_case and kebab-case spellings of one key are the same typo.
    private static string Normalize(string value) =>
        value.Replace("_", string.Empty, StringComparison.Ordinal)
            .Replace("-", string.Empty, StringComparison.Ordinal)
            .ToLowerInvariant();
}
