namespace McpGate.Gateway.Hosting;

/// <summary>What <c>mcp serve</c> was told on its command line; each set value wins over the config file.</summary>
public sealed record GatewayRunOptions
{
    /// <summary><c>--config</c>; null means the standard lookup (docs/cli.md, "Where the config comes from").</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--listen HOST:PORT</c>.</summary>
    public string? Listen { get; init; }

    /// <summary><c>--audit-log PATH</c>, or <c>-</c> for stdout.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary><c>--allow-remote</c>: permit a non-loopback listen address.</summary>
    public bool AllowRemote { get; init; }

    /// <summary><c>--log-format</c>: how diagnostics are written to the console.</summary>
    public GatewayLogFormat LogFormat { get; init; }
}

/// <summary>The console format of the gate's diagnostics (never of the audit log, which is always JSONL).</summary>
public enum GatewayLogFormat
{
    /// <summary>One line per event for a person: <c>12:00:00 INF Category: message</c>.</summary>
    Text,

    /// <summary>Compact JSON (CLEF, Serilog.Formatting.Compact), one object per line, for log collectors.</summary>
    Json,
}
