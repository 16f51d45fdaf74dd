using System.Collections.ObjectModel;
using System.Globalization;
using McpGate.Policy.Globbing;

namespace McpGate.Policy.Classification;

/// <summary>
/// Classifies a tool as read, write or ambiguous (docs/classifier.md, "The four steps"). The first step that answers
/// wins: the server's <c>tool_acl</c> override, then the tool's annotations, then a score over its name,
/// description and input properties, then the ambiguous fallback.
/// </summary>
/// <remarks>
/// <see cref="Classify"/> is thread-safe and caches steps 2–4 per server and tool content; a hit
/// allocates nothing. Overrides are checked before the cache and never stored in it, because the
/// operator's <c>tool_acl</c> may change on reload while the upstream's descriptor does not.
/// </remarks>
public sealed class ToolClassifier
{
    /// <summary>Part of the cache key: bump it whenever a word list, weight or threshold changes.</summary>
    public const string Version = "1";

    internal const int DefaultCacheCapacity = 10_000;
    internal const double OverrideConfidence = 1.0;
    internal const double AnnotationConfidence = 0.95;
    internal const double FallbackConfidence = 0.0;
    internal const int ReadThreshold = 2;
    internal const int WriteThreshold = -2;

    private readonly ClassificationCache _cache;

    public ToolClassifier()
        : this(DefaultCacheCapacity)
    {
    }

    internal ToolClassifier(int cacheCapacity)
    {
        _cache = new ClassificationCache(cacheCapacity);
    }

    /// <summary>How many classifications are cached now (tests and diagnostics).</summary>
    internal int CachedCount => _cache.Count;

    /// <summary>Classifies <paramref name="tool"/> of upstream <paramref name="server"/>, reusing a cached verdict when the descriptor is unchanged.</summary>
    public ToolClassification Classify(string server, ToolAclOverrides overrides, ToolDescriptor tool)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(tool);

        return ClassifyByOverride(overrides, tool.Name) ?? _cache.GetOrAdd(server, tool);
    }

    /// <summary>The same verdict as <see cref="Classify"/>, computed afresh (CLI, benchmarks, tests).</summary>
    public static ToolClassification ClassifyUncached(ToolAclOverrides overrides, ToolDescriptor tool)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(tool);

        return ClassifyByOverride(overrides, tool.Name) ?? ClassifyByContent(tool);
    }

    /// <summary>Step 1, or null when no <c>tool_acl</c> glob matches the name.</summary>
    public static ToolClassification? ClassifyByOverride(ToolAclOverrides overrides, string name)
    {
        if (overrides.IsEmpty)
        {
            return null;
        }

        var read = FirstMatch(overrides.Read, name);
        var write = FirstMatch(overrides.Write, name);
        if (read is null && write is null)
        {
            return null;
        }

        ToolKind kind;
        string reason;
        if (read is not null && write is not null)
        {
            // Two globs that overlap only at run time (read "get_*", write "*_secret"): trust the safer one.
            kind = ToolKind.Write;
            reason = $"tool_acl.read '{read.Pattern}' and tool_acl.write '{write.Pattern}' both match: the globs conflict → write (fail-safe)";
        }
        else if (read is not null)
        {
            kind = ToolKind.Read;
            reason = $"tool_acl.read '{read.Pattern}' matches → read";
        }
        else
        {
            kind = ToolKind.Write;
            reason = $"tool_acl.write '{write!.Pattern}' matches → write";
        }

        return new ToolClassification(
            kind, ClassificationSource.Override, OverrideConfidence, Array.AsReadOnly([reason]), Conflict: false, Score: 0);
    }

    /// <summary>Steps 2–4: everything that depends only on what the upstream said about the tool.</summary>
    internal static ToolClassification ClassifyByContent(ToolDescriptor tool)
    {
        // The score is needed even when annotations decide: a disagreement is reported as a conflict.
        var signals = new List<string>();
        var score = NameSignals.Score(tool.Name, signals)
            + DescriptionSignals.Score(tool.Description, signals)
            + InputPropertySignals.Score(tool.InputPropertyNames, signals);

        if (tool.ReadOnlyHint == true)
        {
            var reasons = new List<string> { "annotation readOnlyHint=true → read" };
            if (tool.DestructiveHint == true)
            {
                reasons.Add("annotation destructiveHint=true ignored: readOnlyHint takes precedence");
            }

            return FromAnnotation(ToolKind.Read, reasons, score, signals);
        }

        if (tool.DestructiveHint == true)
        {
            return FromAnnotation(ToolKind.Write, ["annotation destructiveHint=true → write"], score, signals);
        }

        var scoreText = score.ToString(CultureInfo.InvariantCulture);
        if (score >= ReadThreshold)
        {
            signals.Add($"score {scoreText} → read");
            return new ToolClassification(
                ToolKind.Read, ClassificationSource.Classifier, ScoreConfidence(score), signals.AsReadOnly(), Conflict: false, score);
        }

        if (score <= WriteThreshold)
        {
            signals.Add($"score {scoreText} → write");
            return new ToolClassification(
                ToolKind.Write, ClassificationSource.Classifier, ScoreConfidence(score), signals.AsReadOnly(), Conflict: false, score);
        }

        signals.Add($"score {scoreText} is within -1..1 → ambiguous (treated as write)");
        return new ToolClassification(
            ToolKind.Ambiguous, ClassificationSource.Fallback, FallbackConfidence, signals.AsReadOnly(), Conflict: false, score);
    }

    /// <summary>min(1, max(0.5, |score| / 10)) (docs/classifier.md, "Confidence").</summary>
    internal static double ScoreConfidence(int score) => Math.Min(1.0, Math.Max(0.5, Math.Abs(score) / 10.0));

    private static ToolClassification FromAnnotation(ToolKind kind, List<string> reasons, int score, List<string> signals)
    {
        var conflict = kind == ToolKind.Read ? score <= WriteThreshold : score >= ReadThreshold;
        if (conflict)
        {
            // The signals are only worth listing when they disagree: they show the operator why.
            var scoreSays = kind == ToolKind.Read ? "write" : "read";
            var annotationSays = kind == ToolKind.Read ? "read" : "write";
            reasons.Add($"conflict: annotation says {annotationSays} but the score {score.ToString(CultureInfo.InvariantCulture)} says {scoreSays}");
            reasons.AddRange(signals);
        }

        return new ToolClassification(
            kind, ClassificationSource.Annotation, AnnotationConfidence, reasons.AsReadOnly(), conflict, score);
    }

    private static Glob? FirstMatch(GlobList globs, string name)
    {
        var list = globs.Globs;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].IsMatch(name))
            {
                return list[i];
            }
        }

        return null;
    }
}
