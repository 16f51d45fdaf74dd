using McpGate.Policy.RateLimits;

namespace McpGate.Configuration;

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

    /// <summary><c>gateway.listen</c>, parsed; default <c>127.0.0.1:8080</c>.</summary>
    public ListenAddress Listen { get; init; } = ListenAddress.Default;

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

    /// <summary><c>gateway.rateLimits</c>, in file order; empty means no call is limited.</summary>
    public IReadOnlyList<RateLimitRule> RateLimits { get; init; } = [];

    /// <summary><c>gateway.telemetry</c>: the Prometheus endpoint (OTLP follows the standard environment variables).</summary>
    public TelemetrySettings Telemetry { get; init; } = TelemetrySettings.Default;

    /// <summary><c>gateway.sessions</c>: how session ids are sealed.</summary>
    public SessionSettings Sessions { get; init; } = new();

    /// <summary><c>gateway.redis</c>: a StackExchange.Redis connection string the replicas share (the session key
    /// ring unless <see cref="SessionSettings.KeyRing"/> names a directory, and the rate-limit buckets); null for none.</summary>
    public string? Redis { get; init; }
}

public sealed class SessionSettings
{
    /// <summary><c>gateway.sessions.keyRing</c>: a directory holding the Data Protection key ring every replica reads,
    /// as a full path (a relative one is resolved against the working directory when the config is loaded); null for
    /// Redis (with <see cref="GatewaySettings.Redis"/>) or keys of this process only.</summary>
    public string? KeyRing { get; init; }
}

public sealed class AuditSettings
{
    /// <summary>The <see cref="Path"/> (or <c>--audit-log</c>) that sends audit lines to standard output.</summary>
    public const string StdoutPath = "-";

    /// <summary>Rolling file path (a date is inserted before the extension), or <c>-</c> for stdout; never padded with white space.</summary>
    public string Path { get; init; } = "./audit/mcpgate-.jsonl";

    /// <summary>True when audit lines go to standard output, which then carries nothing else.</summary>
    public static bool IsStdout(string path) => path == StdoutPath;

    /// <summary>How many daily files to keep.</summary>
    public int RetainedFileCount { get; init; } = 31;

    /// <summary><c>gateway.audit.serilog</c>: extra, best-effort audit sinks in Serilog's configuration shape, as
    /// raw JSON (McpGate.Audit builds them); null for none.</summary>
    public string? Serilog { get; init; }
}
