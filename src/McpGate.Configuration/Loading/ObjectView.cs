using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary>An object's accepted members (duplicates and unknown keys already reported), by name and in order.</summary>
internal sealed class ObjectView(string path)
{
    private readonly Dictionary<string, (JsonElement Value, string Path)> _byName = new(StringComparer.Ordinal);
    private readonly List<(string Name, JsonElement Value, string Path)> _members = [];

    public string Path { get; } = path;

    /// <summary>Accepted members in document order.</summary>
    public IReadOnlyList<(string Name, JsonElement Value, string Path)> Members => _members;

    public void Add(string name, JsonElement value, string path)
    {
        _byName.Add(name, (value, path));
        _members.Add((name, value, path));
    }

    public bool Has(string name) => _byName.ContainsKey(name);

    public bool TryGet(string name, out JsonElement value, out string path)
    {
        if (_byName.TryGetValue(name, out var member))
        {
            (value, path) = member;
            return true;
        }

        value = default;
        path = JsonPaths.Property(Path, name);
        return false;
    }
}
