using System.Net;
using McpGate.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace McpGate.Gateway.Inspection;

/// <summary>Transport-level checks that run before the body is read (docs/architecture.md steps 4 and 6).</summary>
internal static class RequestGuards
{
    /// <summary>
    /// DNS-rebinding defence: an <c>Origin</c>, when present, must be allowed — by <c>gateway.allowedOrigins</c>,
    /// or when that is empty, by being a loopback origin. Browsers always send Origin on cross-site POSTs.
    /// </summary>
    public static bool IsOriginAllowed(HttpRequest request, GatewaySettings settings)
    {
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return true;
        }

        if (origins.Count > 1 || origins[0] is not { Length: > 0 } origin)
        {
            return false;
        }

        if (settings.AllowedOrigins.Count > 0)
        {
            var trimmed = origin.TrimEnd('/');
            foreach (var allowed in settings.AllowedOrigins)
            {
                if (string.Equals(allowed.TrimEnd('/'), trimmed, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && IsLoopbackHost(uri.Host);
    }

    /// <summary>
    /// A gate bound to loopback answers only requests addressed to a loopback name: a rebinding page reaches
    /// 127.0.0.1 under its own host name, which this refuses even when the browser omits Origin.
    /// </summary>
    public static bool IsHostAllowed(HttpRequest request, bool loopbackOnly)
    {
        if (!loopbackOnly)
        {
            return true;
        }

        var host = request.Host;
        return host.HasValue && IsLoopbackHost(host.Host);
    }

    /// <summary>Only identity bodies are inspected; a compressed body would be inspected as one thing and run as another.</summary>
    public static bool HasIdentityEncoding(HttpRequest request)
    {
        foreach (var value in request.Headers.ContentEncoding)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var coding in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!coding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// One <c>Content-Type</c>: <c>application/json</c>, with no parameter or only <c>charset=utf-8</c>. The gate reads
    /// the body as UTF-8; a peer honours the charset it is given (body-parser decodes <c>utf-7</c>, <c>utf-16le</c>,
    /// latin1 … with iconv), so any other charset, a second <c>charset</c>, or any other parameter would let the two
    /// read different JSON from the same bytes. What is forwarded says plain <see cref="CanonicalJsonContentType"/>.
    /// </summary>
    public static bool IsUtf8JsonContentType(HttpRequest request)
    {
        var values = request.Headers.ContentType;
        if (values.Count != 1 || !MediaTypeHeaderValue.TryParse(values[0], out var mediaType)
            || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var parameters = mediaType.Parameters;
        if (parameters.Count == 0)
        {
            return true;
        }

        return parameters.Count == 1
            && parameters[0].Name.Equals("charset", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(parameters[0].Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The only <c>Content-Type</c> a forwarded body carries: UTF-8 is JSON's default, so no peer reads it otherwise.</summary>
    public const string CanonicalJsonContentType = "application/json";

    public static bool IsLoopbackHost(string host)
    {
        // The forms clients send to a loopback gate, answered without parsing: this runs on every request.
        if (host is "127.0.0.1" or "[::1]" || host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address);
    }
}
