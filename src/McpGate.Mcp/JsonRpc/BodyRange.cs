namespace McpGate.Mcp.JsonRpc;

/// <summary>
/// Where one JSON value sits in an inspected body: <see cref="Length"/> bytes from <see cref="Start"/>, exactly as the
/// peer wrote them. <c>default</c> is "not there" (no JSON value is empty).
/// </summary>
public readonly record struct BodyRange(int Start, int Length)
{
    public bool IsPresent => Length > 0;

    public int End => Start + Length;

    /// <summary>The bytes of the value in <paramref name="body"/>, the body it was found in.</summary>
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> body) => body.Slice(Start, Length);
}
