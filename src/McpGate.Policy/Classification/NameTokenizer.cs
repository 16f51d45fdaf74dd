namespace McpGate.Policy.Classification;

/// <summary>
/// Splits a tool name into tokens (docs/classifier.md, "3. Scoring"): on <c>_ - . space</c> and at case changes,
/// keeping acronyms together (<c>HTTPRequest</c> → <c>HTTP</c>, <c>Request</c>).
/// </summary>
/// <remarks>
/// Tokens keep the name's original case; the caller lower-cases them for lookup. An upper-case
/// letter starts a new token after a lower-case letter or a digit (<c>s3Upload</c> → <c>s3</c>,
/// <c>Upload</c>), and ends an acronym when a lower-case letter follows it. Digits otherwise stay
/// with their neighbours (<c>v2</c>, <c>get2fa</c>).
/// </remarks>
internal static class NameTokenizer
{
    public static NameTokenEnumerator Enumerate(ReadOnlySpan<char> name) => new(name);

    /// <summary>Lower-cased tokens as strings: for tests, docs and diagnostics, not the hot path.</summary>
    public static List<string> Tokenize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var tokens = new List<string>();
        foreach (var token in Enumerate(name))
        {
            tokens.Add(token.ToString().ToLowerInvariant());
        }

        return tokens;
    }

    internal static bool IsSeparator(char c) => c is '_' or '-' or '.' or ' ';

    // Only asked for i > start of the current token, so name[i - 1] is never a separator.
    internal static bool StartsNewToken(ReadOnlySpan<char> name, int i)
    {
        var c = name[i];
        if (!char.IsUpper(c))
        {
            return false;
        }

        var previous = name[i - 1];
        if (char.IsLower(previous) || char.IsDigit(previous))
        {
            return true;
        }

        // "HTTPRequest": the R belongs to "Request", not to the acronym before it.
        return char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]);
    }
}

/// <summary>Allocation-free token walk over a tool name; use with <c>foreach</c>.</summary>
internal ref struct NameTokenEnumerator
{
    private readonly ReadOnlySpan<char> _name;
    private int _next;

    public NameTokenEnumerator(ReadOnlySpan<char> name)
    {
        _name = name;
        _next = 0;
        Current = default;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly NameTokenEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        var i = _next;
        while (i < _name.Length && NameTokenizer.IsSeparator(_name[i]))
        {
            i++;
        }

        if (i >= _name.Length)
        {
            _next = i;
            Current = default;
            return false;
        }

        var start = i;
        i++;
        while (i < _name.Length && !NameTokenizer.IsSeparator(_name[i]) && !NameTokenizer.StartsNewToken(_name, i))
        {
            i++;
        }

        Current = _name[start..i];
        _next = i;
        return true;
    }
}
