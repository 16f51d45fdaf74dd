using McpGate.Configuration.Loading;

namespace McpGate.Configuration;

/// <summary>
/// Finds the config file (docs/acl.md, "Where the file is"), first found wins: <c>--config PATH</c>;
/// <c>$MCP_CONFIG_PATH</c>;
/// <c>./servers.json</c>; <c>~/.config/mcp/servers.json</c>.
/// </summary>
public static class ConfigLocator
{
    public const string PathVariable = "MCP_CONFIG_PATH";

    public const string FileName = "servers.json";

    /// <summary>The full path of the config file to load.</summary>
    /// <param name="explicitPath">The <c>--config</c> value, or null when not given.</param>
    /// <param name="env">Looks up <c>MCP_CONFIG_PATH</c> and <c>HOME</c>; defaults to the process environment.</param>
    /// <exception cref="ConfigLoadException">
    /// A file named explicitly (by <c>--config</c> or <c>$MCP_CONFIG_PATH</c>) does not exist, or no file was found;
    /// the message says where McpGate looked.
    /// </exception>
    public static string Resolve(string? explicitPath, Func<string, string?>? env = null) =>
        Resolve(explicitPath, env ?? Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    internal static string Resolve(string? explicitPath, Func<string, string?> env, string currentDirectory)
    {
        var home = env("HOME") is { Length: > 0 } fromEnv ? fromEnv : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return RequireExisting(ExpandHome(explicitPath, home), currentDirectory, "--config");
        }

        if (env(PathVariable) is { } variable && !string.IsNullOrWhiteSpace(variable))
        {
            return RequireExisting(ExpandHome(variable, home), currentDirectory, $"${PathVariable}");
        }

        var local = Path.Combine(currentDirectory, FileName);
        if (File.Exists(local))
        {
            return local;
        }

        var user = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".config", "mcp", FileName);
        if (user is not null && File.Exists(user))
        {
            return user;
        }

        var looked = $"--config (not given), ${PathVariable} (not set), {local}"
            + (user is null ? ", ~/.config/mcp/servers.json (no home directory)" : $", {user}");
        throw new ConfigLoadException(FileName, [new ConfigError(
            JsonPaths.Root,
            $"no configuration file found; looked at {looked}",
            "create one of these files (servers.example.json shows the format), or pass --config PATH")]);
    }

    private static string RequireExisting(string path, string currentDirectory, string source)
    {
        var fullPath = Path.GetFullPath(path, currentDirectory);
        if (File.Exists(fullPath))
        {
            return fullPath;
        }

        var what = Directory.Exists(fullPath) ? "is a directory, not a file" : "does not exist";
        throw new ConfigLoadException(fullPath, [new ConfigError(
            JsonPaths.Root,
            $"the configuration file named by {source} {what}",
            $"fix the path given by {source}, or leave it unset to use ./{FileName} or ~/.config/mcp/{FileName}")]);
    }

    private static string ExpandHome(string path, string? home) =>
        !string.IsNullOrEmpty(home) && (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            ? Path.Combine(home, path.Length > 2 ? path[2..] : string.Empty)
            : path;
}
