using System.Buffers;
using System.Text;
using System.Text.Json;
using Serilog.Events;
using Serilog.Formatting;

namespace McpGate.Audit.Formatting;

/// <summary>
/// Writes an audit event (<see cref="AuditLogEvents"/>) as the audit line: the same bytes
/// <see cref="AuditRecordFormatter"/> writes for its record. For a best-effort JSONL copy through any Serilog sink that
/// takes a formatter, e.g. <c>"formatter": "McpGate.Audit.Formatting.AuditLineFormatter, McpGate.Audit"</c>.
/// </summary>
/// <remarks>An event that is not an audit event is written with its audit fields null; nothing else of it
/// reaches the line.</remarks>
public sealed class AuditLineFormatter : ITextFormatter
{
    private static readonly JsonEncodedText[] s_names = [.. AuditFields.All.Select(name => JsonEncodedText.Encode(name))];

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        var line = new ArrayBufferWriter<byte>(1024);
        WriteLine(logEvent, line);
        output.Write(Encoding.UTF8.GetString(line.WrittenSpan));
    }

    public static void WriteLine(LogEvent logEvent, IBufferWriter<byte> output)
        => AuditRecordFormatter.WriteLine(logEvent, output, static (writer, e) => Write(writer, e));

    private static void Write(Utf8JsonWriter writer, LogEvent logEvent)
    {
        writer.WriteStartObject();
        AuditRecordFormatter.WriteTimestamp(writer, logEvent.Timestamp);

        // All[0] is ts, the event's own timestamp.
        for (var i = 1; i < s_names.Length; i++)
        {
            logEvent.Properties.TryGetValue(AuditFields.All[i], out var value);
            WriteValue(writer, s_names[i], value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonEncodedText name, LogEventPropertyValue? value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when text.Length > 0:
                writer.WriteString(name, text);
                break;
            case ScalarValue { Value: double number }:
                AuditRecordFormatter.WriteNumber(writer, name, number);
                break;
            case ScalarValue { Value: int number }:
                writer.WriteNumber(name, number);
                break;
            case SequenceValue { Elements.Count: > 0 } sequence:
                writer.WriteStartArray(name);
                foreach (var element in sequence.Elements)
                {
                    if (element is ScalarValue { Value: string item })
                    {
                        writer.WriteStringValue(item);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteNull(name);
                break;
        }
    }
}
