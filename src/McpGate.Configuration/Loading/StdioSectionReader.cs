using System.Text.Json;
using McpGate.Policy.RateLimits;

namespace McpGate.Configuration.Loading;

/// <summary>
/// The <c>stdio</c> block of a <c>command</c> upstream (docs/stdio.md, "Configuration"): how its processes are shared,
/// reaped, capped and given time to start. Every key is optional; what is left out keeps its default.
/// </summary>
internal sealed class StdioSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private const string Example = "{ \"sharing\": \"shared\", \"idleTimeout\": \"10m\", \"maxProcesses\": 32, \"startTimeout\": \"30s\" }";
    private const string DurationFix = "write a whole number and a unit s, m, h or d, at most one day, e.g. \"30s\" or \"10m\"";

    // More children than this is a fork bomb on most machines, whatever the config says.
    private const int MaxMaxProcesses = 4096;

    private static readonly string[] s_keys = ["sharing", "idleTimeout", "maxProcesses", "startTimeout"];

    public StdioSettings? Read(JsonElement element, string path)
    {
        var block = Object(element, path, s_keys, $"write \"stdio\": {Example}");
        if (block is null)
        {
            return null;
        }

        var defaults = StdioSettings.Default;
        var sharing = defaults.Sharing;
        if (block.TryGet("sharing", out var sharingElement, out var sharingPath))
        {
            const string Fix = "write \"shared\" (one process for every session) or \"per-session\" (a process per MCP session)";
            switch (String(sharingElement, sharingPath, Fix))
            {
                case "shared":
                    sharing = StdioSharing.Shared;
                    break;
                case "per-session":
                    sharing = StdioSharing.PerSession;
                    break;
                case { } other:
                    Error(sharingPath, $"\"{Shorten(other)}\" is not a sharing mode", Fix);
                    break;
            }
        }

        var maxProcesses = defaults.MaxProcesses;
        if (block.TryGet("maxProcesses", out var maxElement, out var maxPath))
        {
            var fix = $"write a whole number from 1 to {MaxMaxProcesses}, e.g. 32";
            if (Int(maxElement, maxPath, fix) is { } max)
            {
                if (max is < 1 or > MaxMaxProcesses)
                {
                    Error(maxPath, $"{max} is out of range", fix);
                }
                else
                {
                    maxProcesses = max;
                }
            }
        }

        return new StdioSettings
        {
            Sharing = sharing,
            IdleTimeout = Duration(block, "idleTimeout") ?? defaults.IdleTimeout,
            MaxProcesses = maxProcesses,
            StartTimeout = Duration(block, "startTimeout") ?? defaults.StartTimeout,
        };
    }

    private TimeSpan? Duration(ObjectView block, string key)
    {
        if (!block.TryGet(key, out var element, out var path) || String(element, path, DurationFix) is not { } text)
        {
            return null;
        }

        if (RateLimitWindows.TryParse(text, out var duration))
        {
            return duration;
        }

        Error(path, $"\"{Shorten(text)}\" is not a duration", DurationFix);
        return null;
    }
}
