namespace McpGate.Gateway.Hosting;

/// <summary>What <c>mcp serve</c> was told on its command line; each set value wins over the config file.</summary>
public sealed record GatewayRunOptions
{
    /// <summary><c>--config</c>; null means the standard lookup (acl.md §1).</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--listen HOST:PORT</c>.</summary>
    public string? Listen { get; init; }

    /// <summary><c>--audit-log PATH</c>, or <c>-</c> for stdout.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary><c>--allow-remote</c>: permit a non-loopback listen address.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>Called once the gate listens, after the startup banner, with the address it listens on.</summary>
    public Func<TextWriter, string, Task>? OnListening { get; init; }
}
