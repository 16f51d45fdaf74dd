namespace McpGate.Policy.Configuration;

public enum DenyStyle
{
    /// <summary>A JSON-RPC error (docs/gateway.md, "What the gate does to each request").</summary>
    Error,

    /// <summary>A <c>CallToolResult</c> with <c>isError: true</c> for denied <c>tools/call</c>, so a model can read why.</summary>
    ToolError,
}

/// <summary>The <c>gateway</c> section: listen address, audit, limits and deny shape. Flags of <c>mcp serve</c> win.</summary>
public sealed class GatewaySettings
{
    public static readonly GatewaySettings Default = new();

    /// <summary><c>HOST:PORT</c>; default <c>127.0.0.1:8080</c>.</summary>
    public string Listen { get; init; } = "127.0.0.1:8080";

    /// <summary>Allowed <c>Origin</c> values; empty means loopback origins only.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    public int DenyErrorCode { get; init; } = -32003;

    public DenyStyle DenyAs { get; init; } = DenyStyle.Error;

    public AuditSettings Audit { get; init; } = new();

    public long MaxRequestBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Connect timeout to an upstream.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time after which a silent upstream exchange is cut; long so SSE streams live.</summary>
    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Bound on the gate's own tool discovery (catalog refresh).</summary>
    public TimeSpan DiscoveryTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

public sealed class AuditSettings
{
    /// <summary>Rolling file path (a date is inserted before the extension), or <c>-</c> for stdout.</summary>
    public string Path { get; init; } = "./audit/mcpgate-.jsonl";

    /// <summary>How many daily files to keep.</summary>
    public int RetainedFileCount { get; init; } = 31;

    /// <summary><c>gateway.audit.serilog</c>: extra, best-effort audit sinks in Serilog's configuration shape, as
    /// raw JSON (McpGate.Audit builds them); null for none.</summary>
    public string? Serilog { get; init; }
}
