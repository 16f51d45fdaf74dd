using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGate.Testing;

/// <summary>Serves a <see cref="TestTool"/> with exactly the protocol shape it describes.</summary>
internal sealed class ExtraToolAdapter : McpServerTool
{
    private readonly TestTool _tool;
    private readonly UpstreamSpy _spy;

    public ExtraToolAdapter(TestTool tool, UpstreamSpy spy)
    {
        _tool = tool;
        _spy = spy;
        var properties = new JsonObject();
        foreach (var name in tool.InputProperties)
        {
            properties[name] = new JsonObject { ["type"] = "string" };
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        ProtocolTool = new Tool
        {
            Name = tool.Name,
            Description = tool.Description,
            InputSchema = JsonSerializer.SerializeToElement(schema),
            Annotations = tool.ReadOnlyHint is null && tool.DestructiveHint is null
                ? null
                : new ToolAnnotations { ReadOnlyHint = tool.ReadOnlyHint, DestructiveHint = tool.DestructiveHint },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override ValueTask<CallToolResult> InvokeAsync(
        RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        _spy.RecordToolExecution(_tool.Name);
        var arguments = request.Params?.Arguments is { } given
            ? new Dictionary<string, JsonElement>(given, StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var text = _tool.Respond?.Invoke(arguments) ?? $"{_tool.Name} ran";
        return ValueTask.FromResult(new CallToolResult { Content = [new TextContentBlock { Text = text }] });
    }
}
