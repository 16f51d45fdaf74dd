using System.Text.Json;
using McpGate.Policy.Classification;
using McpGate.Configuration.Loading;

namespace McpGate.Analysis.Snapshots;

/// <summary>
/// Reads a <c>mcp acl snapshot</c> file into what classification and linting need: tool names, descriptions,
/// input property names and hints, and the prompt, resource and template identifiers. Unknown keys are tolerated
/// inside a tool (the protocol grows), but the file's own structure is checked and every problem is reported.
/// </summary>
public static class ToolsSnapshotReader
{
    private const string What = "tools snapshot";
    private const string Fix = "re-create it with 'mcp acl snapshot --out FILE'";

    /// <exception cref="AnalysisFileException">The file is missing, not JSON, or not a snapshot.</exception>
    public static ToolsSnapshot Load(string path)
    {
        using var file = AnalysisFile.Open(What, path);
        var root = file.Root;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty(SnapshotFields.FormatVersionName, out var version)
            || version.ValueKind != JsonValueKind.Number)
        {
            file.Error(JsonPaths.Root, $"not a tools snapshot (no \"{SnapshotFields.FormatVersionName}\" number)", Fix);
            file.ThrowIfErrors();
        }
        else if (version.GetDouble() != SnapshotFields.FormatVersion)
        {
            file.Error(
                JsonPaths.Property(JsonPaths.Root, SnapshotFields.FormatVersionName),
                $"snapshot format {version.GetRawText()} is not supported (this mcp reads format {SnapshotFields.FormatVersion})",
                Fix);
            file.ThrowIfErrors();
        }

        var servers = new Dictionary<string, UpstreamSurface>(StringComparer.Ordinal);
        var serversPath = JsonPaths.Property(JsonPaths.Root, SnapshotFields.Servers);
        if (!root.TryGetProperty(SnapshotFields.Servers, out var serversElement) || serversElement.ValueKind != JsonValueKind.Object)
        {
            file.Error(serversPath, "missing \"servers\" object", Fix);
        }
        else
        {
            foreach (var server in serversElement.EnumerateObject())
            {
                var serverPath = JsonPaths.Property(serversPath, server.Name);
                if (server.Value.ValueKind != JsonValueKind.Object)
                {
                    file.Error(serverPath, "a server entry must be an object", Fix);
                    continue;
                }

                servers[server.Name] = ReadServer(file, server.Name, server.Value, serverPath);
            }
        }

        file.ThrowIfErrors();
        return new ToolsSnapshot { SourcePath = file.Path, Servers = servers };
    }

    private static UpstreamSurface ReadServer(AnalysisFile file, string alias, JsonElement server, string path)
    {
        var tools = new List<ToolDescriptor>();
        foreach (var (tool, toolPath) in Items(file, server, path, SnapshotFields.Tools))
        {
            if (Name(file, tool, toolPath, SnapshotFields.Name) is not { } name)
            {
                continue;
            }

            var properties = new List<string>();
            if (tool.TryGetProperty(SnapshotFields.InputSchema, out var schema)
                && schema.ValueKind == JsonValueKind.Object
                && schema.TryGetProperty("properties", out var schemaProperties)
                && schemaProperties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in schemaProperties.EnumerateObject())
                {
                    properties.Add(property.Name);
                }
            }

            bool? readOnly = null, destructive = null;
            if (tool.TryGetProperty(SnapshotFields.Annotations, out var annotations) && annotations.ValueKind == JsonValueKind.Object)
            {
                readOnly = Hint(annotations, SnapshotFields.ReadOnlyHint);
                destructive = Hint(annotations, SnapshotFields.DestructiveHint);
            }

            tools.Add(new ToolDescriptor(name, file.OptionalString(tool, toolPath, SnapshotFields.Description), properties, readOnly, destructive));
        }

        return new UpstreamSurface(
            alias,
            tools,
            Names(file, server, path, SnapshotFields.Prompts, SnapshotFields.Name),
            Names(file, server, path, SnapshotFields.Resources, SnapshotFields.Uri),
            Names(file, server, path, SnapshotFields.ResourceTemplates, SnapshotFields.UriTemplate));
    }

    private static List<string> Names(AnalysisFile file, JsonElement server, string path, string list, string key)
    {
        var names = new List<string>();
        foreach (var (item, itemPath) in Items(file, server, path, list))
        {
            if (Name(file, item, itemPath, key) is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static IEnumerable<(JsonElement Item, string Path)> Items(AnalysisFile file, JsonElement server, string serverPath, string list)
    {
        var path = JsonPaths.Property(serverPath, list);
        if (!server.TryGetProperty(list, out var array))
        {
            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            file.Error(path, $"\"{list}\" must be a list", Fix);
            yield break;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = JsonPaths.Index(path, index++);
            if (item.ValueKind != JsonValueKind.Object)
            {
                file.Error(itemPath, "each entry must be an object", Fix);
                continue;
            }

            yield return (item, itemPath);
        }
    }

    private static string? Name(AnalysisFile file, JsonElement item, string path, string key)
    {
        var name = file.OptionalString(item, path, key);
        if (string.IsNullOrEmpty(name))
        {
            file.Error(path, $"the entry has no \"{key}\"", Fix);
            return null;
        }

        return name;
    }

    private static bool? Hint(JsonElement annotations, string name) =>
        annotations.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : null;
}
