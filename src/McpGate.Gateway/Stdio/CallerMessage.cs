using System.Globalization;
using System.Text;
using McpGate.Mcp.JsonRpc;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// One message of a caller's body as the bridge passes it to the child: the very bytes the gate inspected and decided
/// on (<see cref="JsonRpcInspector"/>'s reading, not a second parse), made one line, with only the values the bridge
/// must swap (the id, the progress token, a cancelled request's id) replaced where the inspector found them.
/// </summary>
/// <remarks>
/// The line is the message's bytes with every CR and LF turned into a space. That changes no value: JSON forbids both
/// unescaped inside a string, so every one the (strict) inspector let through stands between tokens, where a line
/// break would otherwise end the message early on the child's stdin.
/// </remarks>
internal sealed class CallerMessage
{
    private readonly byte[] _line;
    private readonly BodyRange _id;
    private readonly BodyRange _progressToken;
    private readonly BodyRange _requestId;

    private CallerMessage(InspectedMessage inspected, ReadOnlySpan<byte> body)
    {
        Inspected = inspected;
        var location = inspected.Location;
        _line = location.Of(body).ToArray();
        _line.AsSpan().Replace((byte)'\r', (byte)' ');
        _line.AsSpan().Replace((byte)'\n', (byte)' ');
        _id = Relative(inspected.IdLocation, location);
        _progressToken = Relative(inspected.ProgressTokenLocation, location);
        _requestId = Relative(inspected.RequestIdLocation, location);
    }

    /// <summary>What the gate read: method, id, target, and where the values sit.</summary>
    public InspectedMessage Inspected { get; }

    public string? Method => Inspected.Method;

    public bool HasId => _id.IsPresent;

    /// <summary>The id as the caller wrote it (raw JSON), or <c>null</c>; answers carry it back.</summary>
    public byte[] Id => _id.IsPresent ? _id.Of(_line).ToArray() : "null"u8.ToArray();

    /// <summary><c>params._meta.progressToken</c> as the caller wrote it, or null when it asked for no progress.</summary>
    public byte[]? ProgressToken => _progressToken.IsPresent ? _progressToken.Of(_line).ToArray() : null;

    /// <summary>
    /// <c>params.requestId</c> read as an id, compared by value (<c>"a\u0062"</c> is <c>"ab"</c>), or none when absent or
    /// not an id.
    /// </summary>
    public JsonRpcId RequestId => _requestId.IsPresent && JsonRpcId.TryParse(Encoding.UTF8.GetString(_requestId.Of(_line)), out var id) ? id : default;

    /// <summary>The id when it is an integer (the bridge's own ids are), for a caller answering the child's request.</summary>
    public bool TryGetIntegerId(out long id)
    {
        id = 0;
        return Inspected.Id.IsNumber && long.TryParse(Inspected.Id.RawJson, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>
    /// The messages of an inspected body, in body order. The bytes are copied: the body's buffer belongs to the gate's
    /// request and may be returned to the pool before the child has been written to.
    /// </summary>
    public static CallerMessage[] From(ReadOnlySpan<byte> body, InspectionResult inspection)
    {
        var messages = new CallerMessage[inspection.Messages.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = new CallerMessage(inspection.Messages[i], body);
        }

        return messages;
    }

    /// <summary>A message the gate composed itself (one JSON object); inspected like a caller's.</summary>
    /// <exception cref="ArgumentException">It is not a valid JSON-RPC message.</exception>
    public static CallerMessage Parse(ReadOnlySpan<byte> json)
    {
        var inspection = JsonRpcInspector.Inspect(json);
        if (inspection.Failure is { } failure || inspection.IsBatch)
        {
            throw new ArgumentException("Not one JSON-RPC message: " + (inspection.Failure?.Message ?? "a batch"), nameof(json));
        }

        return new CallerMessage(inspection.Messages[0], json);
    }

    /// <summary>The line for the child: the caller's bytes, with each given value put in place of the caller's.</summary>
    public byte[] ToLine(byte[]? id = null, byte[]? progressToken = null, byte[]? requestId = null)
    {
        Span<(BodyRange Range, byte[] Value)> swaps = new (BodyRange, byte[])[3];
        var count = 0;
        Add(swaps, ref count, _id, id);
        Add(swaps, ref count, _progressToken, progressToken);
        Add(swaps, ref count, _requestId, requestId);
        if (count == 0)
        {
            return _line;
        }

        swaps = swaps[..count];
        swaps.Sort(static (a, b) => a.Range.Start.CompareTo(b.Range.Start));
        var length = _line.Length;
        foreach (var (range, value) in swaps)
        {
            length += value.Length - range.Length;
        }

        var line = new byte[length];
        var from = 0;
        var to = 0;
        foreach (var (range, value) in swaps)
        {
            _line.AsSpan(from, range.Start - from).CopyTo(line.AsSpan(to));
            to += range.Start - from;
            value.CopyTo(line.AsSpan(to));
            to += value.Length;
            from = range.End;
        }

        _line.AsSpan(from).CopyTo(line.AsSpan(to));
        return line;
    }

    private static void Add(Span<(BodyRange, byte[])> swaps, ref int count, BodyRange range, byte[]? value)
    {
        if (value is not null && range.IsPresent)
        {
            swaps[count++] = (range, value);
        }
    }

    private static BodyRange Relative(BodyRange value, BodyRange message) =>
        value.IsPresent ? new BodyRange(value.Start - message.Start, value.Length) : default;
}
