using McpGate.Cli.Output;
using McpGate.Analysis.Linting;
using McpGate.Analysis.Snapshots;

namespace McpGate.Cli.Commands.Acl;

/// <summary>The body of <c>mcp acl lint</c>: find each upstream's surface, lint, print, and exit by severity.</summary>
internal static class AclLintRunner
{
    public static async Task<int> RunAsync(
        string? configPath,
        string? toolsSnapshotPath,
        bool json,
        bool failOnWarning,
        double? timeoutSeconds,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        var config = PolicyConfig.Load(configPath);
        var source = ToolSource.Create(toolsSnapshotPath, timeoutSeconds, config);
        var results = await Task.WhenAll(config.Servers.Values.Select(u => source.GetAsync(u, cancellationToken)));
        var surfaces = new Dictionary<string, UpstreamSurface>(StringComparer.Ordinal);
        var discoveryFailed = false;
        foreach (var result in results)
        {
            if (result.Surface is { } surface)
            {
                surfaces[result.Server] = surface;
                continue;
            }

            // Not knowing an upstream only narrows two checks; say so rather than fail the whole lint.
            await error.WriteLineAsync($"{result.Failure} (pattern-matches-nothing and ambiguous-writable skip '{result.Server}')");
            discoveryFailed |= !source.IsSnapshot;
        }

        var findings = PolicyLinter.Lint(config, surfaces);
        if (json)
        {
            WriteJson(output, config.SourcePath, findings);
        }
        else
        {
            WriteText(output, config.SourcePath, findings);
        }

        var threshold = failOnWarning ? LintSeverity.Warning : LintSeverity.Error;
        return findings.Any(f => f.Severity >= threshold) ? ExitCodes.Denied
            : discoveryFailed ? ExitCodes.DiscoveryFailed
            : ExitCodes.Success;
    }

    private static void WriteText(TextWriter output, string file, IReadOnlyList<LintFinding> findings)
    {
        foreach (var finding in findings)
        {
            output.WriteLine($"{Location(file, finding)}: {Severity(finding)} {finding.Code}: {finding.JsonPath}: {finding.Message}. Fix: {finding.Fix}");
        }

        var errors = findings.Count(f => f.Severity == LintSeverity.Error);
        output.WriteLine($"{errors} {(errors == 1 ? "error" : "errors")}, {findings.Count - errors} {(findings.Count - errors == 1 ? "warning" : "warnings")}");
    }

    private static void WriteJson(TextWriter output, string file, IReadOnlyList<LintFinding> findings) =>
        JsonOutput.Write(output, writer =>
        {
            var errors = findings.Count(f => f.Severity == LintSeverity.Error);
            writer.WriteStartObject();
            writer.WriteString("file", file);
            writer.WriteNumber("errors", errors);
            writer.WriteNumber("warnings", findings.Count - errors);
            writer.WriteStartArray("findings");
            foreach (var finding in findings)
            {
                writer.WriteStartObject();
                writer.WriteString("code", finding.Code);
                writer.WriteString("severity", Severity(finding));
                writer.WriteString("file", file);
                JsonOutput.WriteNumberOrNull(writer, "line", finding.Line);
                JsonOutput.WriteNumberOrNull(writer, "column", finding.Column);
                writer.WriteString("json_path", finding.JsonPath);
                writer.WriteString("message", finding.Message);
                writer.WriteString("fix", finding.Fix);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    private static string Severity(LintFinding finding) => finding.Severity == LintSeverity.Error ? AclLintCommand.Error : AclLintCommand.Warning;

    private static string Location(string file, LintFinding finding) =>
        finding.Line is { } line ? $"{file}:{line}:{finding.Column ?? 1}" : file;
}
