using System.Buffers;
using System.Text;
using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary><c>gateway.audit</c> (docs/audit.md): where audit lines go, how long files are kept, extra Serilog sinks.</summary>
internal sealed class AuditSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private static readonly string[] s_keys = ["path", "retainedFileCount", "serilog"];

    /// <summary>The section over <paramref name="defaults"/>: a key that is missing or wrong keeps its default.</summary>
    public AuditSettings Read(JsonElement element, string path, AuditSettings defaults)
    {
        var audit = Object(element, path, s_keys, "write { \"path\": \"./audit/mcpgate-.jsonl\", \"retainedFileCount\": 31 }");
        if (audit is null)
        {
            return defaults;
        }

        var file = defaults.Path;
        if (audit.TryGet("path", out var pathElement, out var filePath))
        {
            var value = String(pathElement, filePath, "give a file path such as \"./audit/mcpgate-.jsonl\", or \"-\" for stdout");
            if (value is not null && value.Trim().Length != value.Length)
            {
                // " -" would be a file named " -" to one reader and stdout to another: refuse rather than guess.
                Error(filePath, $"the path \"{Shorten(value)}\" starts or ends with white space", $"remove it: \"{Shorten(value.Trim())}\"");
            }
            else if (value is not null)
            {
                file = value;
            }
        }

        var retained = defaults.RetainedFileCount;
        if (audit.TryGet("retainedFileCount", out var retainedElement, out var retainedPath))
        {
            const string Fix = "give how many daily files to keep, at least 1 (e.g. 31)";
            var value = Int(retainedElement, retainedPath, Fix);
            if (value is < 1)
            {
                Error(retainedPath, $"retainedFileCount must be at least 1, found {value}", Fix);
            }
            else if (value is not null)
            {
                retained = value.Value;
            }
        }

        var serilog = defaults.Serilog;
        if (audit.TryGet("serilog", out var serilogElement, out var serilogPath))
        {
            // Serilog's own configuration shape, checked when the gate builds it (Serilog.Settings.Configuration).
            serilog = Object(serilogElement, serilogPath, knownKeys: null, "write Serilog's configuration, e.g. { \"WriteTo\": [ { \"Name\": \"Console\" } ] }") is null
                ? serilog
                : SubstitutedJson(serilogElement, serilogPath);
        }

        return new AuditSettings { Path = file, RetainedFileCount = retained, Serilog = serilog };
    }

    /// <summary>The section as JSON text with <c>${VAR}</c> substituted in every string value (a sink's API key or
    /// URL comes from the environment like every other secret in the file); property names stay as written.</summary>
    private string SubstitutedJson(JsonElement element, string path)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(element, path);

            void Write(JsonElement value, string at)
            {
                switch (value.ValueKind)
                {
                    case JsonValueKind.Object:
                        writer.WriteStartObject();
                        foreach (var property in value.EnumerateObject())
                        {
                            writer.WritePropertyName(property.Name);
                            Write(property.Value, JsonPaths.Property(at, property.Name));
                        }

                        writer.WriteEndObject();
                        break;
                    case JsonValueKind.Array:
                        writer.WriteStartArray();
                        var index = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Write(item, JsonPaths.Index(at, index++));
                        }

                        writer.WriteEndArray();
                        break;
                    case JsonValueKind.String:
                        writer.WriteStringValue(Substitute(value.GetString()!, at) ?? string.Empty);
                        break;
                    default:
                        value.WriteTo(writer);
                        break;
                }
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
