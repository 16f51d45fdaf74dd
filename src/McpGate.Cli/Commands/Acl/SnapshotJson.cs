using System.Text.Json;
using McpGate.Cli.Output;
using McpGate.Mcp.Discovery;
using McpGate.Analysis.Snapshots;
using ModelContextProtocol.Protocol;

namespace McpGate.Cli.Commands.Acl;

/// <summary>
/// Writes the <c>mcp acl snapshot</c> file: servers by alias, and each list by name or URI, so that two snapshots of
/// the same upstreams are byte-identical and a change reads as a small diff in review. No timestamp, for the same
/// reason. Schemas are written as the upstream sent them.
/// </summary>
internal static class SnapshotJson
{
    public static void Write(TextWriter output, IReadOnlyList<DiscoveredSurface> surfaces) =>
        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber(SnapshotFields.FormatVersionName, SnapshotFields.FormatVersion);
            writer.WriteStartObject(SnapshotFields.Servers);
            foreach (var surface in surfaces.OrderBy(s => s.Server, StringComparer.Ordinal))
            {
                writer.WriteStartObject(surface.Server);
                writer.WriteString(SnapshotFields.ServerName, surface.ServerName);
                writer.WriteString(SnapshotFields.ProtocolVersion, surface.NegotiatedProtocolVersion);
                WriteList(writer, SnapshotFields.Tools, surface.Tools, t => t.Name, WriteTool);
                WriteList(writer, SnapshotFields.Prompts, surface.Prompts, p => p.Name, WritePrompt);
                WriteList(writer, SnapshotFields.Resources, surface.Resources, r => r.Uri, WriteResource);
                WriteList(writer, SnapshotFields.ResourceTemplates, surface.ResourceTemplates, t => t.UriTemplate, WriteTemplate);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });

    private static void WriteList<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T> items, Func<T, string> key, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartArray(name);
        foreach (var item in items.OrderBy(key, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            write(writer, item);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteTool(Utf8JsonWriter writer, Tool tool)
    {
        writer.WriteString(SnapshotFields.Name, tool.Name);
        writer.WriteString(SnapshotFields.Title, tool.Title);
        writer.WriteString(SnapshotFields.Description, tool.Description);
        if (tool.Annotations is { } annotations)
        {
            writer.WriteStartObject(SnapshotFields.Annotations);
            WriteIfSet(writer, "title", annotations.Title);
            WriteIfSet(writer, SnapshotFields.ReadOnlyHint, annotations.ReadOnlyHint);
            WriteIfSet(writer, SnapshotFields.DestructiveHint, annotations.DestructiveHint);
            WriteIfSet(writer, "idempotentHint", annotations.IdempotentHint);
            WriteIfSet(writer, "openWorldHint", annotations.OpenWorldHint);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull(SnapshotFields.Annotations);
        }

        writer.WritePropertyName(SnapshotFields.InputSchema);
        tool.InputSchema.WriteTo(writer);
        if (tool.OutputSchema is { } outputSchema)
        {
            writer.WritePropertyName("output_schema");
            outputSchema.WriteTo(writer);
        }
    }

    private static void WritePrompt(Utf8JsonWriter writer, Prompt prompt)
    {
        writer.WriteString(SnapshotFields.Name, prompt.Name);
        writer.WriteString(SnapshotFields.Title, prompt.Title);
        writer.WriteString(SnapshotFields.Description, prompt.Description);
        writer.WriteStartArray(SnapshotFields.Arguments);
        foreach (var argument in prompt.Arguments ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString(SnapshotFields.Name, argument.Name);
            writer.WriteString(SnapshotFields.Description, argument.Description);
            writer.WriteBoolean(SnapshotFields.Required, argument.Required ?? false);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteResource(Utf8JsonWriter writer, Resource resource)
    {
        writer.WriteString(SnapshotFields.Uri, resource.Uri);
        writer.WriteString(SnapshotFields.Name, resource.Name);
        writer.WriteString(SnapshotFields.Description, resource.Description);
        writer.WriteString(SnapshotFields.MimeType, resource.MimeType);
    }

    private static void WriteTemplate(Utf8JsonWriter writer, ResourceTemplate template)
    {
        writer.WriteString(SnapshotFields.UriTemplate, template.UriTemplate);
        writer.WriteString(SnapshotFields.Name, template.Name);
        writer.WriteString(SnapshotFields.Description, template.Description);
        writer.WriteString(SnapshotFields.MimeType, template.MimeType);
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
    }
}
