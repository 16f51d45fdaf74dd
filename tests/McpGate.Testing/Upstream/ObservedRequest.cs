using System.Text;

namespace McpGate.Testing;

/// <summary>One HTTP request as it reached the upstream, before the MCP SDK saw it.</summary>
/// <param name="HttpMethod">GET, POST or DELETE.</param>
/// <param name="Path">The request path.</param>
/// <param name="Method">The JSON-RPC <c>method</c>; null for responses, unparseable bodies and bodiless requests.
/// For a batch, the first element's method.</param>
/// <param name="JsonRpcId">The JSON-RPC <c>id</c> as raw JSON text (<c>1</c>, <c>"abc"</c>), or null.</param>
/// <param name="ToolName"><c>params.name</c> of a <c>tools/call</c>.</param>
/// <param name="ResourceUri"><c>params.uri</c> of a <c>resources/*</c> request.</param>
/// <param name="PromptName"><c>params.name</c> of a <c>prompts/get</c>.</param>
/// <param name="Headers">Every request header; repeated headers are joined with ", ".</param>
/// <param name="Body">The raw body bytes.</param>
public sealed record ObservedRequest(
    string HttpMethod,
    string Path,
    string? Method,
    string? JsonRpcId,
    string? ToolName,
    string? ResourceUri,
    string? PromptName,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>A header value by case-insensitive name, or null when the request did not carry it.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public bool IsBatch => Body.Length > 0 && FirstNonWhitespace(Body) == (byte)'[';

    private static byte FirstNonWhitespace(byte[] body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return 0;
    }
}
