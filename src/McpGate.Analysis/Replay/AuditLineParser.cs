using System.Text;
using System.Text.Json;
using McpGate.Policy.Classification;
using McpGate.Policy.Evaluation;

namespace McpGate.Analysis.Replay;

/// <summary>
/// Reads the fields replay needs from one audit line with a <see cref="Utf8JsonReader"/> over the line's bytes:
/// no document, no per-field string unless the value is new. The field names are those of docs/audit.md; this is
/// replay's own reader so that it depends on the line format only, not on the gateway's audit code.
/// </summary>
internal sealed class AuditLineParser
{
    private readonly StringPool _strings = new();
    private readonly Dictionary<string, string[]> _roleLists = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _roleLookup;
    private readonly List<string> _scratch = [];

    public AuditLineParser()
    {
        _roleLookup = _roleLists.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Fills <paramref name="row"/>; false when the line is not a JSON object (a torn or foreign line).</summary>
    public bool TryParse(ReadOnlySpan<byte> line, AuditRow row)
    {
        row.Reset();
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return true;
                }

                var field = reader.ValueSpan;
                reader.Read();
                ReadField(field, ref reader, line, row);
            }

            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void ReadField(ReadOnlySpan<byte> name, ref Utf8JsonReader reader, ReadOnlySpan<byte> line, AuditRow row)
    {
        var isNull = reader.TokenType == JsonTokenType.Null;
        switch (name.Length)
        {
            case 2 when name.SequenceEqual("ts"u8):
                row.Timestamp = !isNull && reader.TryGetDateTimeOffset(out var ts) ? ts : null;
                return;
            case 4 when name.SequenceEqual("auth"u8):
                row.Auth = isNull ? AuthSource.Anonymous : reader.ValueSpan switch
                {
                    var v when v.SequenceEqual("bearer"u8) => AuthSource.Bearer,
                    var v when v.SequenceEqual("forwarded"u8) => AuthSource.Forwarded,
                    var v when v.SequenceEqual("oauth"u8) => AuthSource.OAuth,
                    var v when v.SequenceEqual("cli"u8) => AuthSource.CommandLine,
                    _ => AuthSource.Anonymous,
                };
                return;
            case 4 when name.SequenceEqual("tool"u8):
            case 6 when name.SequenceEqual("prompt"u8):
            case 8 when name.SequenceEqual("resource"u8):
                if (!isNull)
                {
                    row.Target = String(ref reader);
                }

                return;
            case 5 when name.SequenceEqual("event"u8):
                row.TargetKind = isNull ? null : reader.ValueSpan switch
                {
                    var v when v.SequenceEqual("mcp.tool_called"u8) => TargetKind.Tool,
                    var v when v.SequenceEqual("mcp.resource_read"u8) => TargetKind.Resource,
                    var v when v.SequenceEqual("mcp.prompt_get"u8) => TargetKind.Prompt,
                    _ => null,
                };
                return;
            case 5 when name.SequenceEqual("roles"u8):
                row.Roles = RoleList(ref reader, line) ?? [];
                return;
            case 6 when name.SequenceEqual("server"u8):
                row.Server = isNull ? null : String(ref reader);
                return;
            case 7 when name.SequenceEqual("subject"u8):
                row.Subject = isNull ? null : String(ref reader);
                return;
            case 8 when name.SequenceEqual("decision"u8):
                row.Decision = isNull ? null : reader.ValueTextEquals("allow"u8) ? Verdict.Allow : Verdict.Deny;
                return;
            case 11 when name.SequenceEqual("decision_id"u8):
                if (!isNull)
                {
                    row.SetDecisionId(reader.ValueSpan);
                }

                return;
            case 12 when name.SequenceEqual("matched_rule"u8):
                row.MatchedRule = isNull ? null : String(ref reader);
                return;
            case 16 when name.SequenceEqual("credential_roles"u8):
                row.CredentialRoles = RoleList(ref reader, line) ?? [];
                return;
            case 19 when name.SequenceEqual("classification_kind"u8):
                row.ClassificationKind = isNull ? null : reader.ValueSpan switch
                {
                    var v when v.SequenceEqual("read"u8) => ToolKind.Read,
                    var v when v.SequenceEqual("write"u8) => ToolKind.Write,
                    _ => ToolKind.Ambiguous,
                };
                return;
            case 21 when name.SequenceEqual("classification_source"u8):
                row.ClassificationSource = isNull ? null : reader.ValueSpan switch
                {
                    var v when v.SequenceEqual("override"u8) => ClassificationSource.Override,
                    var v when v.SequenceEqual("annotation"u8) => ClassificationSource.Annotation,
                    var v when v.SequenceEqual("classifier"u8) => ClassificationSource.Classifier,
                    _ => ClassificationSource.Fallback,
                };
                return;
            case 25 when name.SequenceEqual("classification_confidence"u8):
                row.ClassificationConfidence = !isNull && reader.TryGetDouble(out var confidence) ? confidence : null;
                return;
            default:
                // Every other field (and any added later) is skipped without being read.
                reader.Skip();
                return;
        }
    }

    private string String(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return _strings.Get(reader.ValueSpan);
        }

        // Non-ASCII is escaped on the line (\uXXXX): unescape into a buffer as long as the escaped text.
        Span<char> chars = reader.ValueSpan.Length <= 256 ? stackalloc char[256] : new char[reader.ValueSpan.Length];
        var length = reader.CopyString(chars);
        return _strings.Get(chars[..length]);
    }

    /// <summary>The role list, interned by its raw text: a log has few distinct role sets.</summary>
    private string[]? RoleList(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }

        var start = (int)reader.TokenStartIndex;
        _scratch.Clear();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                _scratch.Add(String(ref reader));
            }
        }

        var raw = line[start..(int)reader.BytesConsumed];
        Span<char> key = raw.Length <= 512 ? stackalloc char[512] : new char[raw.Length];
        var length = Encoding.UTF8.GetChars(raw, key);
        if (_roleLookup.TryGetValue(key[..length], out var roles))
        {
            return roles;
        }

        if (_roleLists.Count >= 10_000)
        {
            _roleLists.Clear();
        }

        roles = [.. _scratch];
        _roleLists.Add(key[..length].ToString(), roles);
        return roles;
    }
}
