using System.Net;

namespace McpGate.Mcp.Discovery;

/// <summary>Why discovery failed, for callers that branch on it (the message already says it in words).</summary>
public enum DiscoveryFailure
{
    /// <summary>No connection: refused, unknown host, reset.</summary>
    Unreachable,

    /// <summary>The whole discovery did not finish within its timeout.</summary>
    TimedOut,

    /// <summary>The upstream answered with an HTTP error status.</summary>
    HttpError,

    /// <summary>The upstream answered, but not with a usable MCP response.</summary>
    ProtocolError,
}

/// <summary>
/// Live tool discovery of one upstream failed. The message names the server, its URL and the cause, e.g.
/// <c>cannot discover tools of server 'github' at http://127.0.0.1:3101/mcp: connection refused</c>.
/// </summary>
public sealed class DiscoveryException : Exception
{
    public DiscoveryException(string server, Uri url, DiscoveryFailure failure, string cause, Exception? innerException = null)
        : base($"cannot discover tools of server '{server}' at {Redact(url)}: {cause}", innerException)
    {
        Server = server;
        Url = url;
        Failure = failure;
        Cause = cause;
    }

    /// <summary>The upstream's alias.</summary>
    public string Server { get; }

    public Uri Url { get; }

    public DiscoveryFailure Failure { get; }

    /// <summary>The cause alone, e.g. <c>HTTP 401 (Unauthorized)</c>.</summary>
    public string Cause { get; }

    /// <summary>
    /// The URL without user info or query: either may carry a credential, and this message reaches consoles, CI logs
    /// and <c>/readyz</c>.
    /// </summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";
    }

    /// <summary>The HTTP status, when <see cref="Failure"/> is <see cref="DiscoveryFailure.HttpError"/>.</summary>
    public HttpStatusCode? StatusCode { get; init; }
}
