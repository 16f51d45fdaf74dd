using System.Text.Json.Serialization;

namespace McpGate.Testing;

/// <summary>How <see cref="TypeScriptUpstream"/> answers.</summary>
public enum TypeScriptResponseMode
{
    /// <summary>An event stream per POST (the SDK's default).</summary>
    Sse,

    /// <summary>One JSON body per POST (<c>enableJsonResponse</c>).</summary>
    Json,
}

/// <summary>What a <see cref="TypeScriptUpstream"/> does with <c>Accept-Encoding</c>.</summary>
public enum TypeScriptCompression
{
    None,

    /// <summary>The <c>compression</c> middleware, honouring the request's <c>Accept-Encoding</c>.</summary>
    Negotiated,

    /// <summary>gzip whatever the request accepts: an upstream the gate cannot read.</summary>
    Forced,
}

/// <summary>
/// A real MCP server built the way the official TypeScript SDK recommends (<c>createMcpExpressApp()</c>: Express and
/// body-parser), run as a node process on loopback: tests/clients/typescript/upstream.mjs. It reads request bodies,
/// charsets, ids and resource URIs with the parsers real upstreams use, and reports what it ran: each tool, resource
/// read or prompt, in order, with the request id it saw.
/// </summary>
public sealed class TypeScriptUpstream : NodeUpstream<TypeScriptUpstream.Ran>
{
    private TypeScriptUpstream((ServiceProcess Node, string Address) started)
        : base(started)
    {
    }

    /// <param name="mode">How it answers.</param>
    /// <param name="compression">What it does with <c>Accept-Encoding</c>.</param>
    /// <param name="cacheScope">A <c>cacheScope</c> hint its <c>tools/list</c> results carry; none when null.</param>
    public static async Task<TypeScriptUpstream> StartAsync(
        TypeScriptResponseMode mode = TypeScriptResponseMode.Sse, TypeScriptCompression compression = TypeScriptCompression.None, string? cacheScope = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["RESPONSE"] = mode == TypeScriptResponseMode.Json ? "json" : "sse",
            ["COMPRESS"] = compression switch
            {
                TypeScriptCompression.Negotiated => "1",
                TypeScriptCompression.Forced => "force",
                _ => "0",
            },
        };
        if (cacheScope is not null)
        {
            environment["CACHE_SCOPE"] = cacheScope;
        }

        return new TypeScriptUpstream(await NodePeers.StartTypeScriptAsync("upstream.mjs", environment));
    }

    /// <summary>
    /// One thing the upstream ran: <c>kind</c> tool / resource / prompt; <c>id</c> as the SDK read it; the W3C
    /// <c>traceparent</c> header of the request that ran it (null when none came).
    /// </summary>
    public sealed record Ran(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("uri")] string? Uri,
        [property: JsonPropertyName("id")] System.Text.Json.JsonElement Id,
        [property: JsonPropertyName("traceparent")] string? TraceParent = null)
    {
        public string Target => Name ?? Uri ?? string.Empty;
    }
}
