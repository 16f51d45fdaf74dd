namespace McpGate.Cli;

/// <summary>The process exit codes scripts rely on (docs/cli.md, "Exit status").</summary>
internal static class ExitCodes
{
    /// <summary>The check allowed, or a report ran.</summary>
    public const int Success = 0;

    /// <summary>The check denied.</summary>
    public const int Denied = 1;

    /// <summary><c>mcp audit alerts</c>: at least one alert fired.</summary>
    public const int AlertsFired = 1;

    /// <summary><c>mcp serve</c>: the listen address is taken.</summary>
    public const int CannotListen = 1;

    /// <summary>A bad flag, a bad config, or an unknown server.</summary>
    public const int Usage = 2;

    /// <summary>An upstream's tools could not be discovered.</summary>
    public const int DiscoveryFailed = 3;

    /// <summary>Stopped by Ctrl+C before it finished (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
