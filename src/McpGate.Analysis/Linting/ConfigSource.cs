using System.Text.Json;
using McpGate.Configuration.Loading;

namespace McpGate.Analysis.Linting;

/// <summary>
/// The config file as text, read again for what the loaded <see cref="Configuration.GateConfig"/> does not keep:
/// the line and column of a JSON path (the loader's own <see cref="JsonPositionMap"/>, rebuilt), and how each bearer
/// token key was written (plain or <c>sha256:</c>).
/// </summary>
internal sealed class ConfigSource : IDisposable
{
    private readonly JsonPositionMap _positions;
    private readonly JsonDocument? _document;

    private ConfigSource(JsonPositionMap positions, JsonDocument? document)
    {
        _positions = positions;
        _document = document;
    }

    /// <summary>The root, or an undefined element when the file could not be read again.</summary>
    public JsonElement Root => _document?.RootElement ?? default;

    /// <summary>Never throws: the loader already accepted the file, so a failure here only costs positions.</summary>
    public static ConfigSource Read(string path)
    {
        try
        {
            var utf8 = File.ReadAllBytes(path);
            var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return new ConfigSource(JsonPositionMap.Build(utf8, AnalysisFile.ReaderOptions), document);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return new ConfigSource(JsonPositionMap.Empty, null);
        }
    }

    /// <summary>The finding, placed at <paramref name="locatePath"/> (the real path when the shown one hides a token).</summary>
    public LintFinding Finding(string code, string jsonPath, string message, string fix, string? locatePath = null)
    {
        var position = _positions.Find(locatePath ?? jsonPath);
        return new LintFinding(code, LintCodes.SeverityOf(code), jsonPath, message, fix) { Line = position?.Line, Column = position?.Column };
    }

    /// <summary>The element at a chain of property names, if every step exists.</summary>
    public bool TryGet(out JsonElement element, params ReadOnlySpan<string> names)
    {
        element = Root;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        foreach (var name in names)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose() => _document?.Dispose();
}
