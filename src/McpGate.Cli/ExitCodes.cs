namespace McpGate.Cli;

/// <summary>The process exit codes scripts rely on (gateway.md §3).</summary>
internal static class ExitCodes
{
    /// <summary>The check allowed, or a report ran.</summary>
    public const int Success = 0;

    /// <summary>The check denied.</summary>
    public const int Denied = 1;

    /// <summary>A bad flag, a bad config, or an unknown server.</summary>
    public const int Usage = 2;

    /// <summary>An upstream's tools could not be discovered.</summary>
    public const int DiscoveryFailed = 3;
}
