using McpGate.Testing;
using ModelContextProtocol.Client;

namespace McpGate.Gateway.Tests.Functional;

internal static class GateClients
{
    public static Task<McpClient> ConnectAsync(RunningGate gate, string token, UpstreamEra era, Func<string, string?>? answerElicitation = null, Func<string, string>? answerSampling = null) =>
        TestMcpClient.ConnectAsync(gate.McpUrl("files"), new TestClientOptions
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
            // A stateful (2025-11-25) upstream refuses the 2026-07-28 probe; ask for the era the upstream speaks.
            ProtocolVersion = era == UpstreamEra.Stateful2025 ? TestMcpClient.LegacyProtocolVersion : null,
            AnswerElicitation = answerElicitation,
            AnswerSampling = answerSampling,
        });

    public static Dictionary<string, object?> Args(params (string Key, object? Value)[] pairs)
    {
        var args = new Dictionary<string, object?>();
        foreach (var (key, value) in pairs)
        {
            args[key] = value;
        }

        return args;
    }
}
