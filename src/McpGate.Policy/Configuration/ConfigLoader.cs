using McpGate.Policy.Configuration.Loading;

namespace McpGate.Policy.Configuration;

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
        return new ConfigReader(sourcePath, environment ?? Environment.GetEnvironmentVariable).Read(json);
    }
}
