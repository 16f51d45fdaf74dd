using System.Text.Json;

namespace McpGate.Mcp.JsonRpc;

// The params half of the inspection: the members the gate decides on (name, uri, arguments, ref), read and checked
// against the method that carries them.
public static partial class JsonRpcInspector
{
    private const int PName = 0;
    private const int PUri = 1;
    private const int PArguments = 2;
    private const int PRef = 3;
    private const int PMeta = 4;
    private const int PProtocolVersion = 9;
    private const int PRequestId = 14;

    private const int RType = 0;
    private const int RName = 1;
    private const int RUri = 2;

    // Besides the four the gate reads, the usual params members are listed so that their duplicate check
    // needs no string allocation.
    private static readonly byte[][] s_paramsMembers =
    [
        "name"u8.ToArray(), "uri"u8.ToArray(), "arguments"u8.ToArray(), "ref"u8.ToArray(),
        "_meta"u8.ToArray(), "cursor"u8.ToArray(), "argument"u8.ToArray(), "context"u8.ToArray(),
        "task"u8.ToArray(), "protocolVersion"u8.ToArray(), "capabilities"u8.ToArray(), "clientInfo"u8.ToArray(),
        "level"u8.ToArray(), "progressToken"u8.ToArray(), "requestId"u8.ToArray(), "reason"u8.ToArray(),
        "taskId"u8.ToArray(),
    ];

    private static readonly byte[][] s_refMembers = ["type"u8.ToArray(), "name"u8.ToArray(), "uri"u8.ToArray()];

    private static readonly byte[][] s_metaMembers = ["progressToken"u8.ToArray()];

    private static readonly string[] s_paramsMemberNames = ["name", "uri", "arguments", "ref"];

    private static readonly InspectionFailure s_nameRequired = Invalid("Invalid Request: \"params.name\" must be a string.");
    private static readonly InspectionFailure s_uriRequired = Invalid("Invalid Request: \"params.uri\" must be a string.");
    private static readonly InspectionFailure s_argumentsNotObject = Invalid("Invalid Request: \"params.arguments\" must be an object.");
    private static readonly InspectionFailure s_refRequired = Invalid("Invalid Request: \"params.ref\" must be an object with a string \"type\".");
    private static readonly InspectionFailure s_refName = Invalid("Invalid Request: \"params.ref.name\" must be a string.");
    private static readonly InspectionFailure s_refUri = Invalid("Invalid Request: \"params.ref.uri\" must be a string.");
    private static readonly InspectionFailure s_duplicateArgument = Invalid("Invalid Request: duplicate member name in \"params.arguments\".");
    private static readonly InspectionFailure s_duplicateRef = Invalid("Invalid Request: duplicate member name in \"params.ref\".");
    private static readonly InspectionFailure s_duplicateMeta = Invalid("Invalid Request: duplicate member name in \"params._meta\".");
    private static readonly InspectionFailure[] s_duplicateParamsMember = DuplicateFailures(s_paramsMemberNames, "params.");

    private static InspectionFailure? CheckTarget(string method, ref ParamsInfo parameters)
    {
        switch (method)
        {
            case McpMethods.ToolsCall:
                if (parameters.ArgumentsNotObject)
                {
                    return s_argumentsNotObject;
                }

                return parameters.Name is null ? s_nameRequired : null;
            case McpMethods.PromptsGet:
                return parameters.Name is null ? s_nameRequired : null;
            case McpMethods.ResourcesRead:
            case McpMethods.ResourcesSubscribe:
            case McpMethods.ResourcesUnsubscribe:
                return parameters.Uri is null ? s_uriRequired : null;
            case McpMethods.CompletionComplete:
                if (!parameters.HasRef || parameters.RefType is null)
                {
                    return s_refRequired;
                }

                if (parameters.RefNameNotString || (parameters.RefType == CompletionReference.PromptType && parameters.RefName is null))
                {
                    return s_refName;
                }

                if (parameters.RefUriNotString || (parameters.RefType == CompletionReference.ResourceType && parameters.RefUri is null))
                {
                    return s_refUri;
                }

                return null;
            default:
                return null;
        }
    }

    private static InspectionFailure? ReadParams(ref Utf8JsonReader reader, ref ParamsInfo parameters)
    {
        if (reader.CurrentDepth >= MaxDepth)
        {
            return s_tooDeep;
        }

        var members = default(MemberSet);
        while (true)
        {
            if (!reader.Read())
            {
                return s_notJson;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return null;
            }

            var member = Match(ref reader, s_paramsMembers);
            if (!members.TryAdd(ref reader, member))
            {
                return member is >= 0 and < 4 ? s_duplicateParamsMember[member] : s_duplicateMember;
            }

            reader.Read();
            switch (member)
            {
                case PName:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        parameters.Name = RepeatedNames.Get(ref reader);
                    }
                    else if (!SkipValue(ref reader))
                    {
                        return s_tooDeep;
                    }

                    break;
                case PUri:
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        parameters.Uri = reader.GetString();
                    }
                    else if (!SkipValue(ref reader))
                    {
                        return s_tooDeep;
                    }

                    break;
                case PArguments:
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var failure = ReadArgumentKeys(ref reader, ref parameters);
                        if (failure is not null)
                        {
                            return failure;
                        }
                    }
                    else
                    {
                        parameters.ArgumentsNotObject = true;
                        if (!SkipValue(ref reader))
                        {
                            return s_tooDeep;
                        }
                    }

                    break;
                case PMeta when reader.TokenType == JsonTokenType.StartObject:
                    {
                        var failure = ReadMeta(ref reader, ref parameters);
                        if (failure is not null)
                        {
                            return failure;
                        }
                    }

                    break;
                case PProtocolVersion when reader.TokenType == JsonTokenType.String:
                    parameters.ProtocolVersion = reader.GetString();
                    break;
                case PRequestId:
                    // Where it sits, so a bridge can swap in the id the call has on its side; any kind of value (the
                    // bridge only swaps an id it knows).
                    var requestIdStart = (int)reader.TokenStartIndex;
                    if (!SkipValue(ref reader))
                    {
                        return s_tooDeep;
                    }

                    parameters.RequestId = new BodyRange(requestIdStart, (int)reader.BytesConsumed - requestIdStart);
                    break;
                case PRef:
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        var failure = ReadRef(ref reader, ref parameters);
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
    }

    private static InspectionFailure? ReadArgumentKeys(ref Utf8JsonReader reader, ref ParamsInfo parameters)
    {
        if (reader.CurrentDepth >= MaxDepth)
        {
            return s_tooDeep;
        }

        var members = default(MemberSet);
        while (true)
        {
            if (!reader.Read())
            {
                return s_notJson;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                parameters.ArgumentKeys = members.Others;
                return null;
            }

            if (!members.TryAdd(ref reader, -1))
            {
                return s_duplicateArgument;
            }

            reader.Read();
            if (!SkipValue(ref reader))
            {
                return s_tooDeep;
            }
        }
    }

    private static InspectionFailure? ReadRef(ref Utf8JsonReader reader, ref ParamsInfo parameters)
    {
        if (reader.CurrentDepth >= MaxDepth)
        {
            return s_tooDeep;
        }

        parameters.HasRef = true;
        var members = default(MemberSet);
        while (true)
        {
            if (!reader.Read())
            {
                return s_notJson;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return null;
            }

            var member = Match(ref reader, s_refMembers);
            if (!members.TryAdd(ref reader, member))
            {
                return s_duplicateRef;
            }

            reader.Read();
            var isString = reader.TokenType == JsonTokenType.String;
            switch (member)
            {
                case RType when isString:
                    parameters.RefType = reader.GetString();
                    break;
                case RName when isString:
                    parameters.RefName = reader.GetString();
                    break;
                case RName:
                    parameters.RefNameNotString = true;
                    break;
                case RUri when isString:
                    parameters.RefUri = reader.GetString();
                    break;
                case RUri:
                    parameters.RefUriNotString = true;
                    break;
                default:
                    break;
            }

            if (!isString && !SkipValue(ref reader))
            {
                return s_tooDeep;
            }
        }
    }

    /// <summary>
    /// <c>params._meta</c>: where <c>progressToken</c> sits, which a bridge replaces with a token of its own. Its members
    /// are checked for duplicates like those of <c>params</c>: the token replaced must be the only one there is.
    /// </summary>
    private static InspectionFailure? ReadMeta(ref Utf8JsonReader reader, ref ParamsInfo parameters)
    {
        if (reader.CurrentDepth >= MaxDepth)
        {
            return s_tooDeep;
        }

        var members = default(MemberSet);
        while (true)
        {
            if (!reader.Read())
            {
                return s_notJson;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return null;
            }

            var member = Match(ref reader, s_metaMembers);
            if (!members.TryAdd(ref reader, member))
            {
                return s_duplicateMeta;
            }

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (!SkipValue(ref reader))
            {
                return s_tooDeep;
            }

            if (member == 0)
            {
                parameters.ProgressToken = new BodyRange(start, (int)reader.BytesConsumed - start);
            }
        }
    }

    private struct ParamsInfo
    {
        public string? Name;
        public string? Uri;
        public List<string>? ArgumentKeys;
        public bool ArgumentsNotObject;
        public bool HasRef;
        public string? RefType;
        public string? RefName;
        public string? RefUri;
        public bool RefNameNotString;
        public bool RefUriNotString;
        public string? ProtocolVersion;
        public BodyRange ProgressToken;
        public BodyRange RequestId;
    }
}
