using System.Text.Json;
using System.Text.Unicode;

namespace McpGate.Mcp.JsonRpc;

/// <summary>
/// Strict, allocation-light inspection of a Streamable HTTP POST body (docs/gateway.md, "What the gate does to each
/// request"). The gate decides on what this returns and then forwards exactly the inspected bytes, so anything another
/// JSON parser could read differently (duplicate members, escapes, invalid UTF-8, trailing data) is refused here
/// rather than guessed at. Never throws for any input.
/// </summary>
public static partial class JsonRpcInspector
{
    /// <summary>Deepest nesting accepted anywhere in a body; deeper is <c>-32600</c>.</summary>
    public const int MaxDepth = 64;

    private const int Jsonrpc = 0;
    private const int Id = 1;
    private const int Method = 2;
    private const int Params = 3;
    private const int Result = 4;
    private const int Error = 5;

    private static readonly byte[][] s_messageMembers =
    [
        "jsonrpc"u8.ToArray(), "id"u8.ToArray(), "method"u8.ToArray(), "params"u8.ToArray(),
        "result"u8.ToArray(), "error"u8.ToArray(),
    ];

    private static readonly string[] s_messageMemberNames = ["jsonrpc", "id", "method", "params", "result", "error"];

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        // One more than ours: SkipValue reports too-deep input as -32600 before the reader would throw.
        MaxDepth = MaxDepth + 1,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly InspectionFailure s_notUtf8 = Parse("Parse error: the body is not valid UTF-8.");
    private static readonly InspectionFailure s_notJson = Parse("Parse error: the body is not valid JSON.");
    private static readonly InspectionFailure s_notObjectOrArray = Invalid("Invalid Request: the body must be a JSON object or array.");
    private static readonly InspectionFailure s_emptyBatch = Invalid("Invalid Request: empty batch.");
    private static readonly InspectionFailure s_batchElement = Invalid("Invalid Request: every batch element must be an object.");
    private static readonly InspectionFailure s_tooDeep = Invalid($"Invalid Request: nested deeper than {MaxDepth} levels.");
    private static readonly InspectionFailure s_badJsonrpc = Invalid("Invalid Request: \"jsonrpc\" must be \"2.0\".");
    private static readonly InspectionFailure s_badId = Invalid("Invalid Request: \"id\" must be a string or an integer.");
    private static readonly InspectionFailure s_unsafeId = Invalid("Invalid Request: a numeric \"id\" must be an integer from -(2^53-1) to 2^53-1, without fraction or exponent.");
    private static readonly InspectionFailure s_nullRequestId = Invalid("Invalid Request: a request's \"id\" may not be null.");
    private static readonly InspectionFailure s_duplicateBatchId = Invalid("Invalid Request: two requests in one batch share an \"id\".");
    private static readonly InspectionFailure s_badMethod = Invalid("Invalid Request: \"method\" must be a string.");
    private static readonly InspectionFailure s_methodAndResult = Invalid("Invalid Request: a message cannot have both \"method\" and \"result\"/\"error\".");
    private static readonly InspectionFailure s_resultAndError = Invalid("Invalid Request: a response cannot have both \"result\" and \"error\".");
    private static readonly InspectionFailure s_responseWithoutId = Invalid("Invalid Request: a response needs an \"id\".");
    private static readonly InspectionFailure s_noMethod = Invalid("Invalid Request: no \"method\", \"result\" or \"error\".");
    private static readonly InspectionFailure s_duplicateMember = Invalid("Invalid Request: duplicate member name.");
    private static readonly InspectionFailure[] s_duplicateMessageMember = DuplicateFailures(s_messageMemberNames, string.Empty);

    public static InspectionResult Inspect(ReadOnlySpan<byte> utf8Body)
    {
        // Utf8JsonReader does not reject every invalid sequence inside strings; a peer that decodes leniently
        // (U+FFFD) could then see a different name than we did.
        if (!Utf8.IsValid(utf8Body))
        {
            return InspectionResult.Failed(s_notUtf8);
        }

        var reader = new Utf8JsonReader(utf8Body, s_readerOptions);
        try
        {
            return InspectCore(ref reader, utf8Body);
        }
        catch (JsonException)
        {
            return InspectionResult.Failed(s_notJson);
        }
        catch (InvalidOperationException)
        {
            // GetString on text that cannot be unescaped to UTF-16 (a lone surrogate escape).
            return InspectionResult.Failed(s_notJson);
        }
    }

    private static InspectionResult InspectCore(ref Utf8JsonReader reader, ReadOnlySpan<byte> source)
    {
        if (!reader.Read())
        {
            return InspectionResult.Failed(s_notJson);
        }

        InspectionResult result;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var failure = ReadMessage(ref reader, source, out var message);
            if (failure is not null)
            {
                return InspectionResult.Failed(failure);
            }

            result = InspectionResult.Success(isBatch: false, [message!]);
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            var messages = new List<InspectedMessage>();
            while (true)
            {
                if (!reader.Read())
                {
                    return InspectionResult.Failed(s_notJson);
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return InspectionResult.Failed(s_batchElement);
                }

                var failure = ReadMessage(ref reader, source, out var message);
                if (failure is not null)
                {
                    return InspectionResult.Failed(failure);
                }

                messages.Add(message!);
            }

            if (messages.Count == 0)
            {
                return InspectionResult.Failed(s_emptyBatch);
            }

            if (HasDuplicateRequestId(messages))
            {
                // Each element's answer is matched to it by id (for the caller and for its audit row): a shared id
                // could attach one call's outcome to another.
                return InspectionResult.Failed(s_duplicateBatchId);
            }

            result = InspectionResult.Success(isBatch: true, messages);
        }
        else
        {
            // Still has to be JSON: "tru" is a parse error, "true" an invalid request.
            reader.Skip();
            return reader.Read() ? InspectionResult.Failed(s_notJson) : InspectionResult.Failed(s_notObjectOrArray);
        }

        // Only whitespace may follow the value (the reader throws on anything else).
        return reader.Read() ? InspectionResult.Failed(s_notJson) : result;
    }

    private static InspectionFailure? ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> source, out InspectedMessage? message)
    {
        message = null;
        if (reader.CurrentDepth >= MaxDepth)
        {
            return s_tooDeep;
        }

        var start = (int)reader.TokenStartIndex;
        var idLocation = default(BodyRange);
        var members = default(MemberSet);
        string? method = null;
        var id = default(JsonRpcId);
        var parameters = default(ParamsInfo);

        while (true)
        {
            if (!reader.Read())
            {
                return s_notJson;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var member = Match(ref reader, s_messageMembers);
            if (!members.TryAdd(ref reader, member))
            {
                return member >= 0 ? s_duplicateMessageMember[member] : s_duplicateMember;
            }

            reader.Read();
            switch (member)
            {
                case Jsonrpc:
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("2.0"u8))
                    {
                        return s_badJsonrpc;
                    }

                    break;
                case Id:
                    if (!JsonRpcId.TryRead(ref reader, source, out id))
                    {
                        return s_badId;
                    }

                    idLocation = ValueLocation(ref reader);

                    // A JavaScript peer reads every number as a double: 9007199254740993 becomes ...992, 1.0 becomes 1,
                    // 1e3 becomes 1000. The id the upstream echoes would then not be the id the gate decided and
                    // audited, so only ids every peer reads alike pass (MCP allows strings and integers only).
                    if (reader.TokenType == JsonTokenType.Number && !JsonRpcId.IsSafeInteger(reader.ValueSpan))
                    {
                        return s_unsafeId;
                    }

                    if (reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped)
                    {
                        // Throws for escapes that do not decode (caught as a parse error), so the id is usable later.
                        _ = reader.GetString();
                    }

                    break;
                case Method:
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return s_badMethod;
                    }

                    method = ReadMethod(ref reader);
                    break;
                case Params:
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var failure = ReadParams(ref reader, ref parameters);
                        if (failure is not null)
                        {
                            return failure;
                        }
                    }
                    else if (!SkipValue(ref reader))
                    {
                        return s_tooDeep;
                    }

                    break;
                default:
                    if (!SkipValue(ref reader))
                    {
                        return s_tooDeep;
                    }

                    break;
            }
        }

        if (!members.Has(Jsonrpc))
        {
            return s_badJsonrpc;
        }

        var hasResult = members.Has(Result);
        var hasError = members.Has(Error);
        var hasId = members.Has(Id);
        JsonRpcMessageKind kind;
        if (method is not null)
        {
            if (hasResult || hasError)
            {
                return s_methodAndResult;
            }

            kind = hasId ? JsonRpcMessageKind.Request : JsonRpcMessageKind.Notification;
            if (id.IsNull)
            {
                // JSON-RPC reserves a null id for answers to unreadable requests; MCP forbids it on requests, and
                // peers disagree on what such a message is (a request, a notification, or invalid).
                return s_nullRequestId;
            }

            var failure = CheckTarget(method, ref parameters);
            if (failure is not null)
            {
                return failure;
            }
        }
        else if (hasResult || hasError)
        {
            if (hasResult && hasError)
            {
                return s_resultAndError;
            }

            if (!hasId)
            {
                return s_responseWithoutId;
            }

            kind = JsonRpcMessageKind.Response;
        }
        else
        {
            return s_noMethod;
        }

        message = new InspectedMessage
        {
            Kind = kind,
            Method = method,
            Id = id,
            Name = parameters.Name,
            Uri = parameters.Uri,
            ArgumentKeys = (IReadOnlyList<string>?)parameters.ArgumentKeys ?? [],
            Ref = parameters.HasRef ? new CompletionReference(parameters.RefType, parameters.RefName, parameters.RefUri) : null,
            ProtocolVersion = parameters.ProtocolVersion,
            Location = new BodyRange(start, (int)reader.BytesConsumed - start),
            IdLocation = idLocation,
            ProgressTokenLocation = parameters.ProgressToken,
            RequestIdLocation = parameters.RequestId,
        };
        return null;
    }

    private static bool HasDuplicateRequestId(List<InspectedMessage> messages)
    {
        for (var i = 1; i < messages.Count; i++)
        {
            if (messages[i].Kind != JsonRpcMessageKind.Request)
            {
                continue;
            }

            for (var j = 0; j < i; j++)
            {
                if (messages[j].Kind == JsonRpcMessageKind.Request && messages[j].Id.Equals(messages[i].Id))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string ReadMethod(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return McpMethods.Intern(reader.ValueSpan);
        }

        // Unescaped text is never longer than its escaped form.
        var length = reader.ValueSpan.Length;
        if (length <= 256)
        {
            Span<byte> buffer = stackalloc byte[256];
            var written = reader.CopyString(buffer);
            return McpMethods.Intern(buffer[..written]);
        }

        var unescaped = new byte[length];
        var count = reader.CopyString(unescaped);
        return McpMethods.Intern(unescaped.AsSpan(0, count));
    }

    /// <summary>Index of the current property name (compared unescaped) in <paramref name="names"/>, or -1.</summary>
    private static int Match(ref Utf8JsonReader reader, byte[][] names)
    {
        if (!reader.ValueIsEscaped)
        {
            var span = reader.ValueSpan;
            for (var i = 0; i < names.Length; i++)
            {
                if (span.SequenceEqual(names[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Where the primitive value at the reader (a string, number, literal) sits in the body.</summary>
    private static BodyRange ValueLocation(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        return new BodyRange(start, (int)reader.BytesConsumed - start);
    }

    /// <summary>Skips the value at the reader (already on its first token). False when it nests too deep.</summary>
    internal static bool SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return true;
        }

        var depth = reader.CurrentDepth;
        if (depth >= MaxDepth)
        {
            return false;
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    if (reader.CurrentDepth >= MaxDepth)
                    {
                        return false;
                    }

                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    if (reader.CurrentDepth == depth)
                    {
                        return true;
                    }

                    break;
                default:
                    break;
            }
        }

        // The reader throws on truncated final input before this; kept so the loop has an exit.
        throw new JsonException("Truncated JSON.");
    }

    private static InspectionFailure Parse(string message) => new(InspectionFailure.ParseErrorCode, message);

    private static InspectionFailure Invalid(string message) => new(InspectionFailure.InvalidRequestCode, message);

    private static InspectionFailure[] DuplicateFailures(string[] names, string prefix)
    {
        var result = new InspectionFailure[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            result[i] = Invalid($"Invalid Request: duplicate member \"{prefix}{names[i]}\".");
        }

        return result;
    }
}
