using System.Globalization;

namespace McpGate.Policy.Classification;

/// <summary>How weights and scores are written in reasons: ASCII signs, so reasons grep and diff cleanly.</summary>
internal static class ScoreText
{
    public static string Kind(int weight) => weight > 0 ? "read" : "write";

    public static string Weight(int weight) =>
        weight > 0 ? "+" + weight.ToString(CultureInfo.InvariantCulture) : weight.ToString(CultureInfo.InvariantCulture);
}
