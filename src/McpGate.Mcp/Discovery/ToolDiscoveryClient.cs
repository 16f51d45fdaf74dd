using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using McpGate.Policy.Classification;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpGate.Mcp.Discovery;

/// <summary>
/// Lists an upstream's tools live with the official SDK client, which already speaks both protocol eras
/// (<c>server/discover</c>, falling back to <c>initialize</c>), JSON and SSE responses, sessions and pagination.
/// Used by <c>mcp acl check</c> and by the gateway's tool catalog.
/// </summary>
public sealed class ToolDiscoveryClient
{
    // The session DELETE after a successful discovery is a courtesy; a stalled upstream must not hold the caller.
    private static readonly TimeSpan s_disposeGrace = TimeSpan.FromSeconds(2);

    private static readonly Implementation s_clientInfo = new()
    {
        Name = "mcpgate-discovery",
        Version = typeof(ToolDiscoveryClient).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
    };

    private readonly HttpMessageHandler? _handler;
    private readonly ILoggerFactory? _loggerFactory;

    /// <param name="handler">Sends the HTTP requests; not disposed. Null: a private handler per discovery.</param>
    /// <param name="loggerFactory">Logging for the SDK client; null logs nothing.</param>
    public ToolDiscoveryClient(HttpMessageHandler? handler = null, ILoggerFactory? loggerFactory = null)
    {
        _handler = handler;
        _loggerFactory = loggerFactory;
    }

    /// <summary>
    /// Connects, lists every tool (following <c>nextCursor</c>) and ends the session. <paramref name="timeout"/>
    /// covers the whole discovery.
    /// </summary>
    /// <exception cref="DiscoveryException">The upstream could not be reached, timed out, or answered badly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public Task<DiscoveredCatalog> DiscoverAsync(string serverAlias, Uri url,
        IReadOnlyDictionary<string, string> headers, TimeSpan timeout, CancellationToken ct) =>
        WithClientAsync(serverAlias, url, headers, timeout, async (client, token) =>
        {
            var tools = await client.ListToolsAsync(cancellationToken: token);
            var descriptors = new List<ToolDescriptor>(tools.Count);
            foreach (var tool in tools)
            {
                descriptors.Add(ToDescriptor(tool.ProtocolTool));
            }

            return new DiscoveredCatalog(serverAlias, descriptors, client.NegotiatedProtocolVersion, client.ServerInfo?.Name);
        }, ct);

    /// <summary>
    /// Everything <c>mcp acl snapshot</c> records of one upstream: every tool as the protocol describes it, and the
    /// prompts, resources and resource templates when the upstream declares those capabilities (empty otherwise).
    /// </summary>
    /// <exception cref="DiscoveryException">The upstream could not be reached, timed out, or answered badly.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled.</exception>
    public Task<DiscoveredSurface> DiscoverSurfaceAsync(string serverAlias, Uri url,
        IReadOnlyDictionary<string, string> headers, TimeSpan timeout, CancellationToken ct) =>
        WithClientAsync(serverAlias, url, headers, timeout, async (client, token) =>
        {
            var tools = await client.ListToolsAsync(cancellationToken: token);
            var capabilities = client.ServerCapabilities;
            IList<McpClientPrompt> prompts = capabilities?.Prompts is null ? [] : await client.ListPromptsAsync(cancellationToken: token);
            IList<McpClientResource> resources = capabilities?.Resources is null ? [] : await client.ListResourcesAsync(cancellationToken: token);
            IList<McpClientResourceTemplate> templates = capabilities?.Resources is null ? [] : await client.ListResourceTemplatesAsync(cancellationToken: token);
            return new DiscoveredSurface(
                serverAlias,
                [.. tools.Select(t => t.ProtocolTool)],
                [.. prompts.Select(p => p.ProtocolPrompt)],
                [.. resources.Select(r => r.ProtocolResource)],
                [.. templates.Select(t => t.ProtocolResourceTemplate)],
                client.NegotiatedProtocolVersion,
                client.ServerInfo?.Name);
        }, ct);

    /// <summary>Connects, runs <paramref name="work"/> and ends the session; <paramref name="timeout"/> covers it all.</summary>
    private async Task<T> WithClientAsync<T>(string serverAlias, Uri url,
        IReadOnlyDictionary<string, string> headers, TimeSpan timeout, Func<McpClient, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(serverAlias);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        using var httpClient = _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false);
        httpClient.Timeout = Timeout.InfiniteTimeSpan;

        McpClient? client = null;
        try
        {
            var transport = new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Endpoint = url,
                    Name = serverAlias,
                    TransportMode = HttpTransportMode.StreamableHttp,
                    EnableStandaloneGetStream = false,
                    ConnectionTimeout = timeout,
                    AdditionalHeaders = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase),
                },
                httpClient,
                _loggerFactory,
                ownsHttpClient: false);

            client = await McpClient.CreateAsync(
                transport,
                new McpClientOptions { ClientInfo = s_clientInfo, InitializationTimeout = timeout },
                _loggerFactory,
                deadline.Token);
            return await work(client, deadline.Token);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not DiscoveryException)
        {
            throw Describe(serverAlias, url, ex, deadline.IsCancellationRequested, timeout);
        }
        finally
        {
            if (client is not null)
            {
                await DisposeWithinGraceAsync(client);
            }
        }
    }

    /// <summary>The classifier's view of one protocol tool: hints stay null when the upstream did not send them.</summary>
    internal static ToolDescriptor ToDescriptor(Tool tool)
    {
        var properties = new List<string>();
        if (tool.InputSchema.ValueKind == JsonValueKind.Object &&
            tool.InputSchema.TryGetProperty("properties", out var schemaProperties) &&
            schemaProperties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in schemaProperties.EnumerateObject())
            {
                properties.Add(property.Name);
            }
        }

        return new ToolDescriptor(
            tool.Name,
            tool.Description,
            properties,
            tool.Annotations?.ReadOnlyHint,
            tool.Annotations?.DestructiveHint);
    }

    private static async Task DisposeWithinGraceAsync(McpClient client)
    {
        try
        {
            await client.DisposeAsync().AsTask().WaitAsync(s_disposeGrace);
        }
        catch (Exception)
        {
            // The catalog (or the real failure) is what the caller needs; the HttpClient's disposal cancels
            // whatever the session teardown still has in flight.
        }
    }

    private static DiscoveryException Describe(string server, Uri url, Exception ex, bool deadlinePassed, TimeSpan timeout)
    {
        if (deadlinePassed || Find<TimeoutException>(ex) is not null)
        {
            return new DiscoveryException(server, url, DiscoveryFailure.TimedOut, $"timed out after {Format(timeout)}", ex);
        }

        if (Find<HttpRequestException>(ex) is { } http)
        {
            if (http.StatusCode is { } status)
            {
                return new DiscoveryException(server, url, DiscoveryFailure.HttpError,
                    $"HTTP {(int)status} ({status})", ex) { StatusCode = status };
            }

            var cause = Find<SocketException>(ex)?.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.ConnectionReset => "connection reset",
                SocketError.TimedOut => "connection timed out",
                _ => http.HttpRequestError switch
                {
                    HttpRequestError.NameResolutionError => "host not found",
                    HttpRequestError.ConnectionError => "connection failed: " + http.Message,
                    HttpRequestError.ResponseEnded => "the upstream closed the connection",
                    HttpRequestError.SecureConnectionError => "TLS handshake failed: " + http.Message,
                    _ => http.Message,
                },
            };
            return new DiscoveryException(server, url, DiscoveryFailure.Unreachable, cause, ex);
        }

        if (Find<McpProtocolException>(ex) is { } protocol)
        {
            return new DiscoveryException(server, url, DiscoveryFailure.ProtocolError,
                $"protocol error {(int)protocol.ErrorCode}: {protocol.Message}", ex);
        }

        var message = Find<McpException>(ex)?.Message ?? Find<JsonException>(ex)?.Message ?? ex.Message;
        return new DiscoveryException(server, url, DiscoveryFailure.ProtocolError, "protocol error: " + message, ex);
    }

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }

            if (ex is AggregateException { InnerExceptions.Count: 1 } aggregate)
            {
                return Find<T>(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }

    private static string Format(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1
            ? timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : timeout.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
}
