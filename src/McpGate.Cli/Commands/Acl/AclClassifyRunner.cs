using System.Text.Json;
using McpGate.Cli.Output;
using McpGate.Policy.Classification;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;

namespace McpGate.Cli.Commands.Acl;

/// <summary>The body of <c>mcp acl classify</c>: discover each upstream concurrently, classify, print.</summary>
internal static class AclClassifyRunner
{
    public static async Task<int> RunAsync(
        string? configPath, string? serverAlias, string? toolsSnapshotPath, bool json, double? timeoutSeconds, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var config = PolicyConfig.Load(configPath);
        var upstreams = new List<UpstreamConfig>();
        if (serverAlias is not null)
        {
            upstreams.Add(PolicyConfig.GetServer(config, serverAlias));
        }
        else
        {
            upstreams.AddRange(config.Servers.Values);
        }

        var source = ToolSource.Create(toolsSnapshotPath, timeoutSeconds, config);
        var discoveries = new Task<UpstreamToolsResult>[upstreams.Count];
        for (var i = 0; i < upstreams.Count; i++)
        {
            discoveries[i] = source.GetAsync(upstreams[i], cancellationToken);
        }

        var results = await Task.WhenAll(discoveries);
        var rows = new List<ClassifiedTool>();
        var failed = false;
        for (var i = 0; i < results.Length; i++)
        {
            var result = results[i];
            if (result.Tools is null)
            {
                await error.WriteLineAsync(result.Failure);
                failed = true;
                continue;
            }

            var upstream = upstreams[i];
            foreach (var tool in AclCheckRunner.SortedByName(result.Tools))
            {
                rows.Add(new ClassifiedTool(upstream.Alias, tool.Name, ToolClassifier.ClassifyUncached(upstream.ToolAcl, tool)));
            }
        }

        if (json)
        {
            WriteJson(output, rows);
        }
        else
        {
            WriteText(output, rows);
        }

        return failed ? ExitCodes.DiscoveryFailed : ExitCodes.Success;
    }

    private static void WriteJson(TextWriter output, List<ClassifiedTool> rows) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                WriteJsonRow(writer, row);
            }

            writer.WriteEndArray();
        });

    private static void WriteJsonRow(Utf8JsonWriter writer, ClassifiedTool row)
    {
        var classification = row.Classification;
        writer.WriteStartObject();
        writer.WriteString("server", row.Server);
        writer.WriteString("tool", row.Tool);
        writer.WriteString("kind", classification.Kind.ToWire());
        writer.WriteString("source", classification.Source.ToWire());
        writer.WriteNumber("confidence", classification.Confidence);
        writer.WriteBoolean("conflict", classification.Conflict);
        writer.WriteNumber("score", classification.Score);
        JsonOutput.WriteStringArrayOrNull(writer, "reasons", classification.Reasons);
        writer.WriteEndObject();
    }

    private static void WriteText(TextWriter output, List<ClassifiedTool> rows)
    {
        if (rows.Count == 0)
        {
            output.WriteLine("No tools.");
            return;
        }

        var table = new TextTable("SERVER", "TOOL", "KIND", "SOURCE", "CONFIDENCE", "SCORE", "CONFLICT");
        foreach (var row in rows)
        {
            var classification = row.Classification;
            table.AddRow(
                row.Server,
                row.Tool,
                classification.Kind.ToWire(),
                classification.Source.ToWire(),
                CheckText.Confidence(classification),
                classification.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
                classification.Conflict ? "yes" : "-");
        }

        table.Write(output);
        output.WriteLine();
        output.WriteLine("Reasons:");
        foreach (var row in rows)
        {
            output.WriteLine($"  {row.Server}/{row.Tool}:");
            if (row.Classification.Reasons.Count == 0)
            {
                output.WriteLine("    (no signals)");
            }

            foreach (var reason in row.Classification.Reasons)
            {
                output.WriteLine($"    {reason}");
            }
        }
    }

    private sealed record ClassifiedTool(string Server, string Tool, ToolClassification Classification);
}
