using System.Text.RegularExpressions;

namespace McpGate.Policy.Classification;

/// <summary>One description pattern of docs/classifier.md, "3. Scoring" and its weight.</summary>
internal sealed record DescriptionPattern(string Pattern, int Weight, Regex Regex);

/// <summary>
/// Description phrases (docs/classifier.md, "3. Scoring"), matched case-insensitively. Each pattern counts once
/// however often it occurs, so a long description cannot outvote the name by repetition.
/// </summary>
internal static partial class DescriptionSignals
{
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private const string ReadOnlyText = @"read[\s-]only";
    private const string WithoutModifyingText = "without modifying";
    private const string DoesNotModifyText = "does not modify";
    private const string ReturnsInformationText = "returns information";
    private const string RetrievesText = @"\bretrieves\b";
    private const string FetchesText = @"\bfetches\b";
    private const string ListsText = @"\blists?\b";
    private const string ShowsText = @"\bshows?\b";
    private const string DescribesText = @"\bdescribes?\b";
    private const string SearchText = @"\bsearch(es|ing|ed)?\b";
    private const string InspectsText = @"\binspects?\b";
    private const string ReturnsText = @"\breturns?\b";
    private const string QueryText = @"\bquer(y|ies)\b";
    private const string CreatesText = @"\bcreates?\b";
    private const string UpdatesText = @"\bupdates?\b";
    private const string DeletesText = @"\bdeletes?\b";
    private const string ModifiesText = @"\bmodif(y|ies)\b";
    private const string WritesText = @"\bwrites?\b";
    private const string ExecutesText = @"\bexecutes?\b";
    private const string RemovesText = @"\bremoves?\b";
    private const string SendsText = @"\bsends?\b";
    private const string AppliesText = @"\bapplies\b";
    private const string PublishesText = @"\bpublishes?\b";
    private const string PostsText = @"\bposts?\b";
    private const string UploadsText = @"\buploads?\b";

    /// <summary>In the order of docs/classifier.md, "The four steps", which is also the order of the reasons.</summary>
    public static readonly DescriptionPattern[] Patterns =
    [
        new(ReadOnlyText, 4, ReadOnly()),
        new(WithoutModifyingText, 4, WithoutModifying()),
        new(DoesNotModifyText, 4, DoesNotModify()),
        new(ReturnsInformationText, 3, ReturnsInformation()),
        new(RetrievesText, 3, Retrieves()),
        new(FetchesText, 3, Fetches()),
        new(ListsText, 1, Lists()),
        new(ShowsText, 1, Shows()),
        new(DescribesText, 1, Describes()),
        new(SearchText, 1, Search()),
        new(InspectsText, 1, Inspects()),
        new(ReturnsText, 1, Returns()),
        new(QueryText, 1, Query()),
        new(CreatesText, -3, Creates()),
        new(UpdatesText, -3, Updates()),
        new(DeletesText, -3, Deletes()),
        new(ModifiesText, -3, Modifies()),
        new(WritesText, -3, Writes()),
        new(ExecutesText, -3, Executes()),
        new(RemovesText, -3, Removes()),
        new(SendsText, -2, Sends()),
        new(AppliesText, -2, Applies()),
        new(PublishesText, -2, Publishes()),
        new(PostsText, -2, Posts()),
        new(UploadsText, -2, Uploads()),
    ];

    public static int Score(string? description, List<string>? reasons)
    {
        if (string.IsNullOrEmpty(description))
        {
            return 0;
        }

        var score = 0;
        foreach (var pattern in Patterns)
        {
            foreach (var match in pattern.Regex.EnumerateMatches(description))
            {
                score += pattern.Weight;
                reasons?.Add(
                    $"description '{Quote(description.AsSpan(match.Index, match.Length))}' → " +
                    $"{ScoreText.Kind(pattern.Weight)} ({ScoreText.Weight(pattern.Weight)})");
                break;
            }
        }

        return score;
    }

    // The matched words as the operator would search for them: lower-case, any whitespace as one space.
    // Every pattern has a short bounded match, so the stack buffer stays small.
    private static string Quote(ReadOnlySpan<char> matched)
    {
        Span<char> buffer = matched.Length <= 64 ? stackalloc char[matched.Length] : new char[matched.Length];
        matched.ToLowerInvariant(buffer);
        for (var i = 0; i < buffer.Length; i++)
        {
            if (char.IsWhiteSpace(buffer[i]))
            {
                buffer[i] = ' ';
            }
        }

        return buffer.ToString();
    }

    [GeneratedRegex(ReadOnlyText, Options)]
    private static partial Regex ReadOnly();

    [GeneratedRegex(WithoutModifyingText, Options)]
    private static partial Regex WithoutModifying();

    [GeneratedRegex(DoesNotModifyText, Options)]
    private static partial Regex DoesNotModify();

    [GeneratedRegex(ReturnsInformationText, Options)]
    private static partial Regex ReturnsInformation();

    [GeneratedRegex(RetrievesText, Options)]
    private static partial Regex Retrieves();

    [GeneratedRegex(FetchesText, Options)]
    private static partial Regex Fetches();

    [GeneratedRegex(ListsText, Options)]
    private static partial Regex Lists();

    [GeneratedRegex(ShowsText, Options)]
    private static partial Regex Shows();

    [GeneratedRegex(DescribesText, Options)]
    private static partial Regex Describes();

    [GeneratedRegex(SearchText, Options)]
    private static partial Regex Search();

    [GeneratedRegex(InspectsText, Options)]
    private static partial Regex Inspects();

    [GeneratedRegex(ReturnsText, Options)]
    private static partial Regex Returns();

    [GeneratedRegex(QueryText, Options)]
    private static partial Regex Query();

    [GeneratedRegex(CreatesText, Options)]
    private static partial Regex Creates();

    [GeneratedRegex(UpdatesText, Options)]
    private static partial Regex Updates();

    [GeneratedRegex(DeletesText, Options)]
    private static partial Regex Deletes();

    [GeneratedRegex(ModifiesText, Options)]
    private static partial Regex Modifies();

    [GeneratedRegex(WritesText, Options)]
    private static partial Regex Writes();

    [GeneratedRegex(ExecutesText, Options)]
    private static partial Regex Executes();

    [GeneratedRegex(RemovesText, Options)]
    private static partial Regex Removes();

    [GeneratedRegex(SendsText, Options)]
    private static partial Regex Sends();

    [GeneratedRegex(AppliesText, Options)]
    private static partial Regex Applies();

    [GeneratedRegex(PublishesText, Options)]
    private static partial Regex Publishes();

    [GeneratedRegex(PostsText, Options)]
    private static partial Regex Posts();

    [GeneratedRegex(UploadsText, Options)]
    private static partial Regex Uploads();
}
