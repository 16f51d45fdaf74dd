using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary><c>gateway.telemetry</c> (docs/observability.md, "Configuration"): every key optional.</summary>
internal sealed class TelemetrySectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private static readonly string[] s_keys = ["prometheus"];

    public TelemetrySettings Read(JsonElement element, string path)
    {
        var telemetry = Object(element, path, s_keys, "write { \"prometheus\": true }");
        if (telemetry is null)
        {
            return TelemetrySettings.Default;
        }

        bool? prometheus = null;
        if (telemetry.TryGet("prometheus", out var prometheusElement, out var prometheusPath))
        {
            prometheus = Bool(prometheusElement, prometheusPath);
        }

        return new TelemetrySettings { Prometheus = prometheus };
    }
}
