using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGate.Testing;

/// <summary>Connects the official SDK client (Streamable HTTP) to an upstream or to the gate, for tests.</summary>
public static class TestMcpClient
{
    public const string LegacyProtocolVersion = "2025-11-25";
    public const string ModernProtocolVersion = "2026-07-28";

    public static async Task<McpClient> ConnectAsync(Uri endpoint, TestClientOptions? options = null,
        CancellationToken ct = default)
    {
        options ??= new TestClientOptions();
        var transportOptions = new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            EnableStandaloneGetStream = options.StandaloneGetStream,
            AdditionalHeaders = options.Headers is null ? null : new Dictionary<string, string>(options.Headers),
        };
        var transport = options.HttpClient is null
            ? new HttpClientTransport(transportOptions)
            : new HttpClientTransport(transportOptions, options.HttpClient, loggerFactory: null, ownsHttpClient: false);

        var handlers = new McpClientHandlers();
        if (options.AnswerElicitation is { } answerElicitation)
        {
            handlers.ElicitationHandler = (request, _) =>
            {
                var answer = answerElicitation(request?.Message ?? "");
                return ValueTask.FromResult(answer is null
                    ? new ElicitResult { Action = "decline" }
                    : new ElicitResult
                    {
                        Action = "accept",
                        Content = new Dictionary<string, JsonElement> { ["answer"] = JsonSerializer.SerializeToElement(answer) },
                    });
            };
        }

        if (options.AnswerSampling is { } answerSampling)
        {
            // Sampling is deprecated by 2026-07-28 (SEP-2577) but still what 2025-era servers send.
#pragma warning disable MCP9005
            handlers.SamplingHandler = (request, _, _) =>
            {
                var prompt = string.Concat((request?.Messages ?? [])
                    .SelectMany(m => m.Content).OfType<TextContentBlock>().Select(b => b.Text));
                return ValueTask.FromResult(new CreateMessageResult
                {
                    Model = "test-model",
                    Role = Role.Assistant,
                    Content = [new TextContentBlock { Text = answerSampling(prompt) }],
                });
            };
#pragma warning restore MCP9005
        }

        options.ConfigureHandlers?.Invoke(handlers);
        return await McpClient.CreateAsync(
            transport,
            new McpClientOptions
            {
                ClientInfo = new Implementation { Name = options.ClientName, Version = "1.0.0" },
                ProtocolVersion = options.ProtocolVersion,
                Handlers = handlers,
            },
            cancellationToken: ct);
    }
}
