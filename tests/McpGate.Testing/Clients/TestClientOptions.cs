using ModelContextProtocol.Client;

namespace McpGate.Testing;

public sealed class TestClientOptions
{
    /// <summary>
    /// The version to request. Null (the SDK default) prefers 2026-07-28 and falls back to <c>initialize</c>;
    /// <see cref="TestMcpClient.LegacyProtocolVersion"/> forces the 2025 handshake with a session.
    /// </summary>
    public string? ProtocolVersion { get; init; }

    /// <summary>Headers sent on every request (e.g. <c>Authorization</c>).</summary>
    public IDictionary<string, string>? Headers { get; init; }

    /// <summary>Answers <c>elicitation/create</c>: gets the message, returns the answer, or null to decline.</summary>
    public Func<string, string?>? AnswerElicitation { get; init; }

    /// <summary>Answers <c>sampling/createMessage</c>: gets the concatenated prompt text, returns the reply text.</summary>
    public Func<string, string>? AnswerSampling { get; init; }

    /// <summary>Further handler setup, applied after the two above.</summary>
    public Action<McpClientHandlers>? ConfigureHandlers { get; init; }

    /// <summary>Whether to open the standalone GET stream after <c>initialize</c> (the SDK default).</summary>
    public bool StandaloneGetStream { get; init; } = true;

    /// <summary>An HTTP client to send through (not disposed by the MCP client).</summary>
    public HttpClient? HttpClient { get; init; }

    public string ClientName { get; init; } = "mcpgate-test-client";
}
