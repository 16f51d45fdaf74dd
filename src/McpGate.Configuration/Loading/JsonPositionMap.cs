using System.Text;
using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary>
/// Line and column of every property and array element, by JSON path, so that semantic errors (found later on a
/// <see cref="JsonDocument"/>, which keeps no positions) can still point at the offending line.
/// </summary>
public sealed class JsonPositionMap
{
    public static readonly JsonPositionMap Empty = new();

    // A path can occur more than once when an object repeats a key; occurrences are kept in document order.
    private readonly Dictionary<string, List<(int Line, int Column)>> _positions = new(StringComparer.Ordinal);

    private JsonPositionMap()
    {
    }

    public static JsonPositionMap Build(byte[] utf8, JsonReaderOptions options)
    {
        var map = new JsonPositionMap();
        var lines = new LineIndex(utf8);
        var reader = new Utf8JsonReader(utf8, options);
        var stack = new Stack<Frame>();
        string? pendingPropertyPath = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingPropertyPath = JsonPaths.Property(stack.Peek().Path, reader.GetString()!);
                        map.Add(pendingPropertyPath, lines.Locate(reader.TokenStartIndex));
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        var path = ValuePath(stack, pendingPropertyPath, map, lines, reader.TokenStartIndex);
                        stack.Push(new Frame(path, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.Pop();
                        break;
                    case JsonTokenType.Comment:
                    case JsonTokenType.None:
                        break;
                    default:
                        ValuePath(stack, pendingPropertyPath, map, lines, reader.TokenStartIndex);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Positions are a courtesy: the document itself already parsed, so this only guards odd inputs.
        }

        return map;
    }

    public (int Line, int Column)? Find(string path, int occurrence = 0)
    {
        if (_positions.TryGetValue(path, out var list) && list.Count > 0)
        {
            return list[Math.Min(occurrence, list.Count - 1)];
        }

        return null;
    }

    private static string ValuePath(Stack<Frame> stack, string? pendingPropertyPath, JsonPositionMap map, LineIndex lines, long offset)
    {
        if (stack.Count == 0)
        {
            return JsonPaths.Root;
        }

        var top = stack.Peek();
        if (!top.IsArray)
        {
            return pendingPropertyPath ?? top.Path;
        }

        var path = JsonPaths.Index(top.Path, top.NextIndex++);
        map.Add(path, lines.Locate(offset));
        return path;
    }

    private void Add(string path, (int Line, int Column) position)
    {
        if (!_positions.TryGetValue(path, out var list))
        {
            list = [];
            _positions.Add(path, list);
        }

        list.Add(position);
    }

    private sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int NextIndex { get; set; }
    }
}

/// <summary>Maps byte offsets in a UTF-8 buffer to 1-based line and character column.</summary>
public sealed class LineIndex
{
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];

    public LineIndex(byte[] utf8)
    {
        _utf8 = utf8;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public (int Line, int Column) Locate(long offset)
    {
        var at = (int)Math.Clamp(offset, 0, _utf8.Length);
        var index = _lineStarts.BinarySearch(at);
        var line = index >= 0 ? index : ~index - 1;
        var start = _lineStarts[line];
        return (line + 1, Encoding.UTF8.GetCharCount(_utf8, start, at - start) + 1);
    }

    /// <summary>Line and column from a 0-based line number and a byte position within that line.</summary>
    public (int Line, int Column) Locate(long lineNumber, long bytePositionInLine)
    {
        var line = (int)Math.Clamp(lineNumber, 0, _lineStarts.Count - 1);
        var start = _lineStarts[line];
        var length = (int)Math.Clamp(bytePositionInLine, 0, _utf8.Length - start);
        return (line + 1, Encoding.UTF8.GetCharCount(_utf8, start, length) + 1);
    }
}
