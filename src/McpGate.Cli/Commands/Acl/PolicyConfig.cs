using McpGate.Configuration;

namespace McpGate.Cli.Commands.Acl;

/// <summary>Loads the config with the very locator and loader <c>mcp serve</c> uses, mapping failures to exit 2.</summary>
internal static class PolicyConfig
{
    public static GateConfig Load(string? explicitPath)
    {
        try
        {
            var path = ConfigLocator.Resolve(explicitPath);
            return ConfigLoader.Load(path);
        }
        catch (ConfigLoadException ex)
        {
            // The loader's message already names the file, the JSON path and the fix for every error.
            throw new CommandFailedException(ExitCodes.Usage, ex.Message);
        }
    }

    public static UpstreamConfig GetServer(GateConfig config, string alias)
    {
        if (config.Servers.TryGetValue(alias, out var upstream))
        {
            return upstream;
        }

        // The operator's own config, so naming the aliases helps and leaks nothing.
        var known = config.Servers.Count == 0 ? "none" : string.Join(", ", config.Servers.Keys);
        throw new CommandFailedException(
            ExitCodes.Usage,
            $"mcp: unknown server '{alias}' in {config.SourcePath}. Configured servers: {known}. (Aliases are case-sensitive.)");
    }
}
