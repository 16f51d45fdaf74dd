using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGate.Testing;

/// <summary>
/// The default tool set of a <see cref="TestUpstream"/>: a realistic mix of annotated, unannotated, read-only and
/// destructive tools, plus two that need input from the client (elicitation and sampling). Every body records its
/// execution in the spy first; the two input tools run twice per call (once to ask, once with the answer).
/// </summary>
[McpServerToolType]
internal sealed class DefaultTools(UpstreamSpy spy)
{
    private const string AnswerKey = "answer";
    private const string SummaryKey = "summary";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal)
    {
        ["/public/readme.md"] = "# Project\nA small demo project.",
        ["/public/notes.txt"] = "remember the milk",
        ["/secret/keys.txt"] = "AKIA-TEST-ONLY-0000",
    };

    [McpServerTool(Name = "read_file", ReadOnly = true)]
    [Description("Reads a file and returns its contents.")]
    public string ReadFile([Description("Absolute path of the file")] string path)
    {
        spy.RecordToolExecution("read_file");
        lock (_gate)
        {
            return _files.TryGetValue(path, out var content)
                ? content
                : throw new McpException($"No such file: {path}");
        }
    }

    [McpServerTool(Name = "list_files", ReadOnly = true)]
    [Description("Lists the files under a directory.")]
    public string ListFiles(
        [Description("Directory to list")] string path,
        [Description("Maximum number of entries")] int limit = 10)
    {
        spy.RecordToolExecution("list_files");
        lock (_gate)
        {
            var prefix = path.EndsWith('/') ? path : path + "/";
            return string.Join('\n', _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order().Take(limit));
        }
    }

    [McpServerTool(Name = "delete_file", ReadOnly = false, Destructive = true)]
    [Description("Deletes a file permanently.")]
    public string DeleteFile([Description("Absolute path of the file")] string path)
    {
        spy.RecordToolExecution("delete_file");
        lock (_gate)
        {
            return _files.Remove(path) ? $"deleted {path}" : $"nothing to delete at {path}";
        }
    }

    [McpServerTool(Name = "write_file")]
    [Description("Writes content to a file")]
    public string WriteFile(
        [Description("Absolute path of the file")] string path,
        [Description("The new content")] string content)
    {
        spy.RecordToolExecution("write_file");
        lock (_gate)
        {
            _files[path] = content;
        }

        return $"wrote {content.Length} characters to {path}";
    }

    [McpServerTool(Name = "web_search")]
    [Description("Searches the web.")]
    public string WebSearch(
        [Description("Search terms")] string query,
        [Description("Maximum number of results")] int limit = 3)
    {
        spy.RecordToolExecution("web_search");
        return string.Join('\n', Enumerable.Range(1, Math.Clamp(limit, 1, 10))
            .Select(i => $"{i}. https://example.org/{Uri.EscapeDataString(query)}/{i}"));
    }

    [McpServerTool(Name = "get_weather")]
    [Description("Returns the current weather")]
    public string GetWeather([Description("City name")] string city)
    {
        spy.RecordToolExecution("get_weather");
        return $"{city}: 18°C, light rain";
    }

    [McpServerTool(Name = "ask_user")]
    [Description("Asks the user a question and returns the answer.")]
    public string AskUser(
        RequestContext<CallToolRequestParams> context,
        [Description("The question to ask")] string question)
    {
        spy.RecordToolExecution("ask_user");

        // Written the MRTR way so it works in both eras: a 2026-07-28 client gets an input_required result and retries
        // with inputResponses; for a 2025 session the SDK turns the same request into a real elicitation/create.
        if (context.Params?.InputResponses is { } responses && responses.TryGetValue(AnswerKey, out var response))
        {
            var result = response.Deserialize(InputResponse.ElicitResultJsonTypeInfo);
            if (result is { Action: "accept", Content: { } content } &&
                content.TryGetValue("answer", out var answer) && answer.ValueKind == JsonValueKind.String)
            {
                return $"user answered: {answer.GetString()}";
            }

            return $"user did not answer ({result?.Action})";
        }

        throw new InputRequiredException(
            new Dictionary<string, InputRequest>
            {
                [AnswerKey] = InputRequest.ForElicitation(new ElicitRequestParams
                {
                    Message = question,
                    RequestedSchema = new ElicitRequestParams.RequestSchema
                    {
                        Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                        {
                            ["answer"] = new ElicitRequestParams.StringSchema { Description = "Your answer" },
                        },
                        Required = ["answer"],
                    },
                }),
            },
            requestState: null);
    }

    // Sampling is deprecated by 2026-07-28 (SEP-2577), but 2025-era clients still use it and the gate must see it.
#pragma warning disable MCP9005
    [McpServerTool(Name = "summarize_with_llm")]
    [Description("Summarizes a text with the client's language model.")]
    public string SummarizeWithLlm(
        RequestContext<CallToolRequestParams> context,
        [Description("The text to summarize")] string text)
    {
        spy.RecordToolExecution("summarize_with_llm");

        // MRTR-style like ask_user: a 2025 session sees a real sampling/createMessage request.
        if (context.Params?.InputResponses is { } responses && responses.TryGetValue(SummaryKey, out var response))
        {
            var result = response.Deserialize(InputResponse.CreateMessageResultJsonTypeInfo);
            var summary = string.Concat((result?.Content ?? []).OfType<TextContentBlock>().Select(b => b.Text));
            return $"summary ({result?.Model}): {summary}";
        }

        throw new InputRequiredException(
            new Dictionary<string, InputRequest>
            {
                [SummaryKey] = InputRequest.ForSampling(new CreateMessageRequestParams
                {
                    Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = $"Summarize: {text}" }] }],
                    MaxTokens = 200,
                }),
            },
            requestState: null);
    }
#pragma warning restore MCP9005
}
