namespace McpGate.Mcp.JsonRpc;

/// <summary>What kind of JSON-RPC message an element of a POST body is.</summary>
public enum JsonRpcMessageKind
{
    /// <summary><c>method</c> and <c>id</c>.</summary>
    Request,

    /// <summary><c>method</c> without <c>id</c>.</summary>
    Notification,

    /// <summary>No <c>method</c>; <c>id</c> and <c>result</c> or <c>error</c> (a client answering a server request).</summary>
    Response,
}

/// <summary>Why a body was refused: <c>-32700</c> (parse error) or <c>-32600</c> (invalid request).</summary>
public sealed record InspectionFailure(int Code, string Message)
{
    public const int ParseErrorCode = -32700;
    public const int InvalidRequestCode = -32600;
}

/// <summary><c>params.ref</c> of <c>completion/complete</c>: <c>{type:"ref/prompt", name}</c> or <c>{type:"ref/resource", uri}</c>.</summary>
public sealed record CompletionReference(string? Type, string? Name, string? Uri)
{
    public const string PromptType = "ref/prompt";
    public const string ResourceType = "ref/resource";
}

/// <summary>One JSON-RPC message of an inspected body, with the fields the gate decides on (all unescaped).</summary>
public sealed class InspectedMessage
{
    public required JsonRpcMessageKind Kind { get; init; }

    /// <summary>The method; one of the <see cref="McpMethods"/> instances when known. Null for responses.</summary>
    public string? Method { get; init; }

    public JsonRpcId Id { get; init; }

    /// <summary><c>params.name</c> when it is a string.</summary>
    public string? Name { get; init; }

    /// <summary><c>params.uri</c> when it is a string.</summary>
    public string? Uri { get; init; }

    /// <summary>The member names of <c>params.arguments</c> when it is an object, in document order.</summary>
    public IReadOnlyList<string> ArgumentKeys { get; init; } = [];

    /// <summary><c>params.ref</c> when it is an object (completion/complete).</summary>
    public CompletionReference? Ref { get; init; }

    /// <summary><c>params.protocolVersion</c> when it is a string (initialize).</summary>
    public string? ProtocolVersion { get; init; }

    /// <summary>
    /// Where the message object sits in the body. A peer that passes the message on (the stdio bridge) writes these
    /// bytes, not a serialization of its own reading, so what runs is what was inspected.
    /// </summary>
    public BodyRange Location { get; init; }

    /// <summary>Where the <c>id</c> value sits in the body; not present for a notification.</summary>
    public BodyRange IdLocation { get; init; }

    /// <summary>Where <c>params._meta.progressToken</c> sits in the body, when the message asks for progress.</summary>
    public BodyRange ProgressTokenLocation { get; init; }

    /// <summary>Where <c>params.requestId</c> sits in the body (the call a <c>notifications/cancelled</c> withdraws).</summary>
    public BodyRange RequestIdLocation { get; init; }
}

/// <summary>The outcome of <see cref="JsonRpcInspector.Inspect"/>: messages, or a failure (never both).</summary>
public sealed class InspectionResult
{
    private InspectionResult(bool isBatch, IReadOnlyList<InspectedMessage> messages, InspectionFailure? failure)
    {
        IsBatch = isBatch;
        Messages = messages;
        Failure = failure;
    }

    /// <summary>The body was a JSON array (a 2025-03-26 batch).</summary>
    public bool IsBatch { get; }

    /// <summary>One element per message, in body order; empty when <see cref="Failure"/> is set.</summary>
    public IReadOnlyList<InspectedMessage> Messages { get; }

    public InspectionFailure? Failure { get; }

    public bool IsValid => Failure is null;

    internal static InspectionResult Success(bool isBatch, IReadOnlyList<InspectedMessage> messages) =>
        new(isBatch, messages, null);

    internal static InspectionResult Failed(InspectionFailure failure) => new(false, [], failure);
}
