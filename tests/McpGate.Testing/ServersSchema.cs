using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace McpGate.Testing;

/// <summary>
/// schema/servers.schema.json, the schema editors use to complete and check servers.json. Tests hold it against the
/// loader: what the loader accepts, the schema must accept too (<see cref="Policies.Parse"/> checks every config a
/// test loads), so an editor never underlines a valid file.
/// </summary>
public static class ServersSchema
{
    public const string RelativePath = "schema/servers.schema.json";

    private static readonly JsonDocumentOptions s_jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly Lock s_gate = new();

    private static readonly Lazy<JsonSchema> s_schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryFiles.Root, RelativePath))));

    /// <summary>The schema's complaints about <paramref name="json"/> (JSON with comments), empty when it conforms.</summary>
    public static IReadOnlyList<string> Errors(string json)
    {
        var instance = JsonNode.Parse(json, documentOptions: s_jsonc);
        EvaluationResults result;

        // One evaluation at a time: evaluating a shared JsonSchema from parallel tests gave wrong verdicts now and then.
        lock (s_gate)
        {
            result = s_schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }

        if (result.IsValid)
        {
            return [];
        }

        return result.Details
            .Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .ToList();
    }
}
