using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace McpGate.SampleServer.Hosting;

/// <summary>
/// Tool results are pretty-printed JSON, like the real servers these samples imitate. Failures are tool execution
/// errors (<c>isError: true</c>), not exceptions, so the demo's console stays quiet.
/// </summary>
internal static class SampleJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, s_options);

    public static CallToolResult Ok<T>(T value) => new() { Content = [new TextContentBlock { Text = Serialize(value) }] };

    public static CallToolResult Error(string message) =>
        new() { IsError = true, Content = [new TextContentBlock { Text = message }] };
}
