using System.Globalization;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpGate.Testing;

/// <summary>
/// A real MCP server (official C# SDK, Kestrel on 127.0.0.1 with a dynamic port) for tests to put McpGate in front
/// of. Everything that reaches it is recorded in <see cref="Spy"/>.
/// </summary>
public sealed class TestUpstream : IAsyncDisposable
{
    public const string ReadmeUri = DefaultResources.ReadmeUri;
    public const string SecretKeysUri = DefaultResources.KeysUri;

    /// <summary>The URI template of the one resource template (<c>resources/templates/list</c>).</summary>
    public const string ProjectNotesTemplate = "file:///projects/{name}/notes.md";

    private readonly WebApplication _app;
    private readonly FailureInjector _failures;
    private readonly LiveTools _tools;
    private readonly ToolsListHolds _holds;

    private TestUpstream(WebApplication app, Uri baseUrl, string path, UpstreamEra era, UpstreamSpy spy,
        FailureInjector failures, LiveTools tools, ToolsListHolds holds)
    {
        _app = app;
        _failures = failures;
        _tools = tools;
        _holds = holds;
        BaseUrl = baseUrl;
        McpUrl = new Uri(baseUrl, path);
        Era = era;
        Spy = spy;
    }

    /// <summary>The default tools, in the order <c>tools/list</c> returns them.</summary>
    public static IReadOnlyList<string> DefaultToolNames { get; } =
    [
        "read_file", "list_files", "delete_file", "write_file", "web_search", "get_weather", "ask_user",
        "summarize_with_llm",
    ];

    /// <summary>The resources <c>resources/list</c> returns.</summary>
    public static IReadOnlyList<string> ResourceUris { get; } = [ReadmeUri, SecretKeysUri];

    /// <summary>The prompts <c>prompts/list</c> returns.</summary>
    public static IReadOnlyList<string> PromptNames { get; } = ["code_review", "admin_prompt"];

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/mcp</c>.</summary>
    public Uri McpUrl { get; }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseUrl { get; }

    public UpstreamEra Era { get; }

    public UpstreamSpy Spy { get; }

    /// <summary>Every tool this upstream serves (defaults, extras, then those added at runtime), in <c>tools/list</c> order.</summary>
    public IReadOnlyList<string> ToolNames => [.. _tools.Snapshot().Select(t => t.ProtocolTool.Name)];

    public static async Task<TestUpstream> StartAsync(TestUpstreamOptions? options = null, CancellationToken ct = default)
    {
        options ??= new TestUpstreamOptions();
        var spy = new UpstreamSpy();
        var failures = new FailureInjector();
        var tools = new LiveTools(CreateTools(options, spy));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(TestUpstream).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);

        var mcp = builder.Services
            .AddMcpServer(server => server.ServerInfo = new Implementation { Name = options.ServerName, Version = "1.0.0" })
            .WithHttpTransport(http => http.SessionMode = options.Era switch
            {
                UpstreamEra.Stateful2025 => HttpServerSessionMode.Stateful,
                UpstreamEra.Stateless2026 => HttpServerSessionMode.Stateless,
                _ => HttpServerSessionMode.StatefulForInitializeClients,
            })
            .WithTools(tools.Snapshot())
            .WithResources(new DefaultResources(spy))
            .WithPrompts(new DefaultPrompts(spy));

        // Outermost list filter: a held answer has been computed (from the tools as they were) and waits to be sent.
        var holds = new ToolsListHolds();
        mcp.WithRequestFilters(filters => filters.AddListToolsFilter(next => async (context, ct) =>
        {
            var result = await next(context, ct);
            await holds.WaitIfHeldAsync(ct);
            return result;
        }));
        if (options.ToolsPageSize is { } pageSize)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1, nameof(options.ToolsPageSize));
            mcp.WithRequestFilters(filters => filters.AddListToolsFilter(_ => (context, _) =>
                ValueTask.FromResult(Page(tools.Snapshot(), pageSize, context.Params?.Cursor))));
        }

        if (options.Resumable)
        {
            builder.Services.AddDistributedMemoryCache();
            // Resumability is a 2025-era (stateful) feature, which the SDK marks obsolete; these upstreams speak that era.
#pragma warning disable MCP9006
            mcp.WithDistributedCacheEventStreamStore();
#pragma warning restore MCP9006
        }

        var app = builder.Build();
        var middleware = new SpyMiddleware(spy, failures);
        app.Use((context, next) => middleware.InvokeAsync(context, () => next(context)));
        if (options.JsonResponses)
        {
            app.Use((context, next) => JsonResponseMiddleware.InvokeAsync(context, () => next(context)));
        }

        app.MapMcp(options.Path);
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        var baseUrl = new Uri(address.TrimEnd('/') + "/");
        return new TestUpstream(app, baseUrl, options.Path.TrimStart('/'), options.Era, spy, failures, tools, holds);
    }

    /// <summary>
    /// Starts serving <paramref name="tool"/> now, after the tools served so far. The SDK then sends
    /// <c>notifications/tools/list_changed</c> on every open 2025-era listen stream (the standalone GET); a session
    /// whose stream is not open yet misses it, so wait for <see cref="UpstreamSpy.WaitForListenStreamAsync"/> first.
    /// </summary>
    public void AddTool(TestTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var serverTool = new ExtraToolAdapter(tool, Spy);
        _tools.Add(serverTool);
        ToolCollection().Add(serverTool);
    }

    /// <summary>
    /// Serves <paramref name="tool"/> in place of the tool of the same name (say, with different annotations), with one
    /// <c>notifications/tools/list_changed</c> as <see cref="AddTool"/> sends it.
    /// </summary>
    public void ReplaceTool(TestTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var serverTool = new ExtraToolAdapter(tool, Spy);
        var collection = ToolCollection();
        if (!collection.TryGetPrimitive(tool.Name, out var previous))
        {
            throw new InvalidOperationException($"the upstream serves no tool named {tool.Name}");
        }

        _tools.Replace(previous, serverTool);
        using (collection.DeferChangedEvents())
        {
            collection.Remove(previous);
            collection.Add(serverTool);
        }
    }

    /// <summary>
    /// Holds every <c>tools/list</c> answer, once computed, until the returned hold is released (or disposed): a
    /// discovery in flight can then be kept in flight while the test changes the tools behind it.
    /// </summary>
    public ToolsListHold HoldToolsListAnswers() => _holds.Begin();

    /// <summary>
    /// Answers the next <paramref name="count"/> HTTP requests (of any kind) with <paramref name="status"/> and a small
    /// JSON body, without the SDK seeing them. They are still recorded by the spy.
    /// </summary>
    public void FailNextRequestsWith(HttpStatusCode status, int count = 1) => _failures.FailNext(status, count);

    /// <summary>Stops injecting failures.</summary>
    public void StopFailing() => _failures.FailNext(HttpStatusCode.OK, 0);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private McpServerPrimitiveCollection<McpServerTool> ToolCollection() =>
        _app.Services.GetRequiredService<IOptions<McpServerOptions>>().Value.ToolCollection
            ?? throw new InvalidOperationException("the upstream has no tool collection");

    private static List<McpServerTool> CreateTools(TestUpstreamOptions options, UpstreamSpy spy)
    {
        var tools = new List<McpServerTool>();
        if (options.IncludeDefaultTools)
        {
            var target = new DefaultTools(spy);
            var methods = typeof(DefaultTools)
                .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null)
                .OrderBy(m => m.MetadataToken);
            foreach (var method in methods)
            {
                tools.Add(McpServerTool.Create(method, target));
            }
        }

        foreach (var extra in options.ExtraTools ?? [])
        {
            tools.Add(new ExtraToolAdapter(extra, spy));
        }

        return tools;
    }

    private static ListToolsResult Page(IReadOnlyList<McpServerTool> tools, int pageSize, string? cursor)
    {
        var offset = 0;
        if (cursor is not null &&
            (!cursor.StartsWith("page-", StringComparison.Ordinal) ||
             !int.TryParse(cursor.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out offset) ||
             offset > tools.Count))
        {
            throw new McpProtocolException($"Invalid cursor: {cursor}", McpErrorCode.InvalidParams);
        }

        var end = Math.Min(offset + pageSize, tools.Count);
        return new ListToolsResult
        {
            Tools = [.. tools.Skip(offset).Take(end - offset).Select(t => t.ProtocolTool)],
            NextCursor = end < tools.Count ? $"page-{end}" : null,
        };
    }
}

/// <summary>The tools an upstream serves, in <c>tools/list</c> order; tests may add to them while it runs.</summary>
internal sealed class LiveTools(List<McpServerTool> initial)
{
    private readonly Lock _gate = new();
    private readonly List<McpServerTool> _tools = initial;

    public IReadOnlyList<McpServerTool> Snapshot()
    {
        lock (_gate)
        {
            return [.. _tools];
        }
    }

    public void Add(McpServerTool tool)
    {
        lock (_gate)
        {
            _tools.Add(tool);
        }
    }

    public void Replace(McpServerTool previous, McpServerTool tool)
    {
        lock (_gate)
        {
            _tools[_tools.IndexOf(previous)] = tool;
        }
    }
}
