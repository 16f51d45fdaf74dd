using System.Text.Json;
using McpGate.Audit;
using McpGate.Configuration;
using McpGate.Configuration.Loading;

namespace McpGate.Cli.Commands.Audit;

/// <summary>
/// Finds the audit path <c>mcp serve</c> would write to: the config's <c>gateway.audit.path</c>, looked up the way
/// <c>mcp serve</c> looks up the config (<c>--config</c>, <c>$MCP_CONFIG_PATH</c>, <c>./servers.json</c>,
/// <c>~/.config/mcp/servers.json</c>), else the default <c>./audit/mcpgate-.jsonl</c>.
/// </summary>
/// <remarks>
/// Only that one value is read, so a cron job that checks alerts needs neither the upstreams' secrets in its
/// environment nor a config that would pass every other check; it reads the same file and path the gate does.
/// </remarks>
internal static class AuditConfigLookup
{
    private static readonly JsonDocumentOptions s_options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The audit path, or an error naming the file and what is wrong with it.</summary>
    public static (string? Path, string? Error) FindAuditPath(string? explicitConfig)
    {
        string configPath;
        try
        {
            configPath = ConfigLocator.Resolve(explicitConfig);
        }
        catch (ConfigLoadException ex)
        {
            // A config named by --config or $MCP_CONFIG_PATH must exist; finding none by the implicit lookup just
            // means the gate runs with its default path too.
            var named = !string.IsNullOrWhiteSpace(explicitConfig)
                || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConfigLocator.PathVariable));
            return named ? (null, ex.Message) : (AuditDestination.DefaultPath, null);
        }

        return ReadAuditPath(configPath, Environment.GetEnvironmentVariable);
    }

    /// <param name="environment">Reads a variable (tests hand in their own: a set-but-empty variable cannot be made
    /// in-process).</param>
    internal static (string? Path, string? Error) ReadAuditPath(string configPath, Func<string, string?> environment)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(configPath), s_options);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("gateway", out var gateway) && gateway.ValueKind == JsonValueKind.Object
                && gateway.TryGetProperty("audit", out var audit) && audit.ValueKind == JsonValueKind.Object
                && audit.TryGetProperty("path", out var path))
            {
                if (path.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(path.GetString()))
                {
                    return (null, $"{configPath}: gateway.audit.path must be a non-empty string");
                }

                return Substitute(path.GetString()!, configPath, environment);
            }

            return (AuditDestination.DefaultPath, null);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } number ? $" (line {number + 1})" : string.Empty;
            return (null, $"{configPath}{line}: not valid JSON: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"{configPath}: cannot read the config: {ex.Message}");
        }
    }

    // The loader's own substitution, so both read the same path from the same environment (a set-but-empty
    // variable included); and, like the loader, an empty result is an error.
    private static (string? Path, string? Error) Substitute(string value, string configPath, Func<string, string?> environment)
    {
        var problems = new List<EnvironmentSubstitution.Problem>();
        var result = EnvironmentSubstitution.Substitute(value, environment, problems);
        if (result is null)
        {
            var problem = problems[0];
            return (null, $"{configPath}: $.gateway.audit.path: {problem.Message}. Fix: {problem.Fix}");
        }

        return string.IsNullOrWhiteSpace(result)
            ? (null, $"{configPath}: $.gateway.audit.path: the value is empty. Fix: give a file path such as \"./audit/mcpgate-.jsonl\", or \"-\" for stdout")
            : (result, null);
    }
}
