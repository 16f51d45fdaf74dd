using System.Text;
using McpGate.Configuration;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Settings.Configuration;

namespace McpGate.Audit.Writing;

/// <summary>
/// The extra, best-effort audit sinks of <c>gateway.audit.serilog</c>: a Serilog logger built by
/// Serilog.Settings.Configuration from that object, written in Serilog's own configuration shape
/// (<c>{ "WriteTo": [ { "Name": "Seq", "Args": { "serverUrl": "…" } } ] }</c>).
/// </summary>
public static class AuditFanOut
{
    /// <summary>Null when <paramref name="settings"/> configures none.</summary>
    /// <exception cref="ConfigLoadException">The section is not a Serilog configuration that can be built (an unknown
    /// sink, a bad argument).</exception>
    public static Logger? Create(AuditSettings settings, string configPath)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.Serilog))
        {
            return null;
        }

        try
        {
            // Serilog.Settings.Configuration reads the section named "Serilog".
            var json = "{\"Serilog\":" + settings.Serilog + "}";
            var configuration = new ConfigurationBuilder()
                .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
                .Build();
            return new LoggerConfiguration()
                .MinimumLevel.Verbose()
                .ReadFrom.Configuration(configuration, new ConfigurationReaderOptions { SectionName = "Serilog" })
                .CreateLogger();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or InvalidCastException or IOException or TypeLoadException or MissingMethodException)
        {
            throw new ConfigLoadException(configPath, [new ConfigError(
                "$.gateway.audit.serilog",
                $"the Serilog configuration cannot be built: {ex.Message}",
                "write Serilog's configuration shape, e.g. { \"WriteTo\": [ { \"Name\": \"File\", \"Args\": { \"path\": \"./audit-copy/log-.clef\" } } ] }; a sink's assembly must be installed beside mcp")]);
        }
    }
}
