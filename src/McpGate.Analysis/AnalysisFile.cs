using System.Text;
using System.Text.Json;
using McpGate.Configuration;
using McpGate.Configuration.Loading;

namespace McpGate.Analysis;

/// <summary>
/// A JSON input of the policy tools (a snapshot, a fixture file) that could not be read or accepted. The message
/// lists every problem as <c>file:line:col: path: message. Fix: ...</c>, like a config error.
/// </summary>
public sealed class AnalysisFileException : Exception
{
    public AnalysisFileException(string what, string sourcePath, IReadOnlyList<ConfigError> errors)
        : base(FormatMessage(what, sourcePath, errors))
    {
        SourcePath = sourcePath;
        Errors = errors;
    }

    public AnalysisFileException()
    {
        SourcePath = string.Empty;
        Errors = [];
    }

    public AnalysisFileException(string message)
        : base(message)
    {
        SourcePath = string.Empty;
        Errors = [];
    }

    public AnalysisFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourcePath = string.Empty;
        Errors = [];
    }

    public string SourcePath { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string FormatMessage(string what, string sourcePath, IReadOnlyList<ConfigError> errors)
    {
        var text = new StringBuilder();
        text.Append("mcp: cannot load ").Append(what).Append(' ').Append(sourcePath).Append(": ")
            .Append(errors.Count).Append(errors.Count == 1 ? " error" : " errors");
        foreach (var error in errors)
        {
            text.Append('\n').Append("  ").Append(error.Format(sourcePath));
        }

        return text.ToString();
    }
}

/// <summary>
/// Reads one JSON input file (comments and trailing commas allowed, as in <c>servers.json</c>) and collects
/// problems with their line and column, so every reader reports like the config loader does.
/// </summary>
internal sealed class AnalysisFile : IDisposable
{
    internal static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly string _what;
    private readonly JsonDocument _document;
    private readonly JsonPositionMap _positions;
    private readonly List<ConfigError> _errors = [];

    private AnalysisFile(string what, string path, JsonDocument document, JsonPositionMap positions)
    {
        _what = what;
        Path = path;
        _document = document;
        _positions = positions;
    }

    public string Path { get; }

    public JsonElement Root => _document.RootElement;

    /// <param name="what">Names the kind of file in messages, e.g. <c>tools snapshot</c>.</param>
    /// <exception cref="AnalysisFileException">Missing, unreadable, or not JSON.</exception>
    public static AnalysisFile Open(string what, string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        byte[] utf8;
        try
        {
            utf8 = File.ReadAllBytes(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var cause = exception is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : exception.Message.TrimEnd('.');
            throw new AnalysisFileException(what, fullPath, [new ConfigError(JsonPaths.Root, cause, "check the path")]);
        }

        try
        {
            var document = JsonDocument.Parse(utf8, s_documentOptions);
            return new AnalysisFile(what, fullPath, document, JsonPositionMap.Build(utf8, ReaderOptions));
        }
        catch (JsonException exception)
        {
            var (line, column) = new LineIndex(utf8).Locate(exception.LineNumber ?? 0, exception.BytePositionInLine ?? 0);
            var message = exception.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new AnalysisFileException(what, fullPath, [new ConfigError(
                JsonPaths.Root, "not valid JSON: " + (cut > 0 ? message[..cut] : message).TrimEnd('.'), "fix the syntax at that position", line, column)]);
        }
    }

    public void Error(string path, string message, string? fix)
    {
        var position = _positions.Find(path);
        _errors.Add(new ConfigError(path, message, fix, position?.Line, position?.Column));
    }

    /// <summary>The 1-based line of <paramref name="path"/>, when known.</summary>
    public int? Line(string path) => _positions.Find(path)?.Line;

    /// <summary>Throws every problem collected so far, if there is one.</summary>
    public void ThrowIfErrors()
    {
        if (_errors.Count > 0)
        {
            throw new AnalysisFileException(_what, Path, _errors);
        }
    }

    /// <summary>Reports each member of <paramref name="element"/> not in <paramref name="known"/>, suggesting the closest.</summary>
    public void CheckKeys(JsonElement element, string path, IReadOnlyCollection<string> known)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                var close = Suggestions.Closest(property.Name, known);
                Error(
                    JsonPaths.Property(path, property.Name),
                    $"unknown key \"{property.Name}\"",
                    close is not null ? $"did you mean \"{close}\"?" : "use one of " + string.Join(", ", known.Select(k => $"\"{k}\"")));
            }
        }
    }

    /// <summary>The string at <paramref name="name"/>, or null (reporting a non-string).</summary>
    public string? OptionalString(JsonElement parent, string parentPath, string name)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(JsonPaths.Property(parentPath, name), $"\"{name}\" must be a string", null);
            return null;
        }

        return value.GetString();
    }

    public void Dispose() => _document.Dispose();
}
