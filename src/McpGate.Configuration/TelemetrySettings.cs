namespace McpGate.Configuration;

/// <summary><c>gateway.telemetry</c> (docs/observability.md, "Configuration"): what the gate exports. Fixed at start.</summary>
public sealed class TelemetrySettings
{
    public static readonly TelemetrySettings Default = new();

    /// <summary>
    /// <c>gateway.telemetry.prometheus</c>: serve <c>GET /metrics</c>. Null (not set) means on when the gate listens on
    /// loopback only, off otherwise: a scrape endpoint on a public address is the operator's choice to make.
    /// </summary>
    public bool? Prometheus { get; init; }

    /// <summary>Whether <c>/metrics</c> is served for a gate listening on <paramref name="loopbackOnly"/> addresses.</summary>
    public bool ServesPrometheus(bool loopbackOnly) => Prometheus ?? loopbackOnly;
}
