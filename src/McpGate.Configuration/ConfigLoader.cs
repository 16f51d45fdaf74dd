using System.Text;
using System.Text.Json;
using McpGate.Configuration.Loading;
using McpGate.Policy.Evaluation.Compiled;

namespace McpGate.Configuration;

/// <summary>
/// Loads <c>servers.json</c> (docs/acl.md, "The file at a glance") into an immutable, pre-compiled <see
/// cref="GateConfig"/>. <c>mcp serve</c> and <c>mcp acl check</c> both load through here, so they always agree on what
/// a file means.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Reads and parses the file at <paramref name="path"/>, substituting from the process environment.</summary>
    /// <exception cref="ConfigLoadException">The file is missing, unreadable or invalid; the message lists every problem.</exception>
    public static GateConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        string json;
        try
        {
            json = File.ReadAllText(fullPath);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigLoadException(fullPath, [new ConfigError(
                JsonPaths.Root,
                "the file does not exist",
                "check the path given to --config or $MCP_CONFIG_PATH (servers.example.json shows the format)")]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new ConfigLoadException(fullPath, [new ConfigError(
                JsonPaths.Root,
                $"the file cannot be read: {exception.Message.TrimEnd('.')}",
                "check that the path is a file and that McpGate's user may read it")]);
        }

        return Parse(json, fullPath);
    }

    /// <summary>Parses config text; <paramref name="sourcePath"/> is only used to name the file in errors.</summary>
    /// <param name="json">The file's text (JSON with <c>//</c> comments and trailing commas).</param>
    /// <param name="sourcePath">The file the text came from, for messages and <see cref="GateConfig.SourcePath"/>.</param>
    /// <param name="environment">Looks up <c>${NAME}</c>; defaults to the process environment.</param>
    /// <exception cref="ConfigLoadException">The text is invalid; the message lists every problem.</exception>
    public static GateConfig Parse(string json, string sourcePath, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourcePath);
        try
        {
            return new ConfigReader(sourcePath, environment ?? Environment.GetEnvironmentVariable).Read(json);
        }
        catch (ResourcePatternException exception)
        {
            // Raised when the ACL is compiled (after the reader found no error): located here, in the file's terms.
            throw new ConfigLoadException(sourcePath, ResourcePatternErrors(json, exception.Errors));
        }
    }

    private static List<ConfigError> ResourcePatternErrors(string json, IReadOnlyList<ResourcePatternError> errors)
    {
        var positions = JsonPositionMap.Build(
            Encoding.UTF8.GetBytes(json),
            new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var acl = JsonPaths.Property(JsonPaths.Property(JsonPaths.Root, "serverAuth"), "acl");
        var result = new List<ConfigError>(errors.Count);
        foreach (var error in errors)
        {
            var owner = error.Owner == GrantOwner.Role
                ? JsonPaths.Property(JsonPaths.Property(acl, "roles"), error.Name)
                : JsonPaths.Property(JsonPaths.Property(JsonPaths.Property(acl, "subjects"), error.Name), "extra");
            var path = JsonPaths.Index(JsonPaths.Property(JsonPaths.Index(owner, error.GrantIndex), "resources"), error.PatternIndex);
            var position = positions.Find(path);
            result.Add(new ConfigError(path, error.Message, error.Fix, position?.Line, position?.Column));
        }

        return result;
    }
}
