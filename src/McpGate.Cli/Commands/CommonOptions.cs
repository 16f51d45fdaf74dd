using System.CommandLine;

namespace McpGate.Cli.Commands;

/// <summary>Options several commands share, created fresh per command (a System.CommandLine symbol has one parent).</summary>
internal static class CommonOptions
{
    public const string Text = "text";
    public const string Json = "json";

    public static Option<string?> Config() => new("--config")
    {
        Description = "Config file. Default: $MCP_CONFIG_PATH, then ./servers.json, then ~/.config/mcp/servers.json.",
        HelpName = "PATH",
    };

    public static Option<string> Format()
    {
        var option = new Option<string>("--format")
        {
            Description = "Output format.",
            HelpName = "text|json",
            DefaultValueFactory = _ => Text,
        };
        option.AcceptOnlyFromAmong(Text, Json);
        return option;
    }

    /// <summary><c>--tools-snapshot FILE</c>: upstream tools from a <c>mcp acl snapshot</c> file instead of live discovery.</summary>
    public static Option<string?> ToolsSnapshot() => new("--tools-snapshot")
    {
        Description = "Read upstream tools from this 'mcp acl snapshot' file instead of discovering them live (no upstream needed).",
        HelpName = "FILE",
    };

    public static Option<double?> Timeout()
    {
        var option = new Option<double?>("--timeout")
        {
            Description = "Seconds to wait for each upstream's tool discovery. Default: gateway.discoveryTimeout (10).",
            HelpName = "SECONDS",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } seconds && (seconds <= 0 || double.IsNaN(seconds) || seconds > 3600))
            {
                result.AddError("--timeout must be a number of seconds greater than 0 and at most 3600.");
            }
        });
        return option;
    }
}
