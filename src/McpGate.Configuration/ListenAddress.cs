using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace McpGate.Configuration;

/// <summary>
/// Where the gate listens: an IP address (or <c>localhost</c>) and a port. The one parser of <c>HOST:PORT</c>: the
/// loader checks <c>gateway.listen</c> with it (so <c>mcp acl check</c> refuses what <c>mcp serve</c> could not bind)
/// and <c>--listen</c> goes through it too. Host names other than <c>localhost</c> are refused because Kestrel
/// binds addresses, not names.
/// </summary>
public sealed record ListenAddress(IPAddress Address, int Port, bool IsLocalhostName)
{
    public static ListenAddress Default { get; } = new(IPAddress.Loopback, 8080, IsLocalhostName: false);

    public bool IsLoopback => IsLocalhostName || IPAddress.IsLoopback(Address);

    /// <summary>Parses <c>host:port</c> or <c>[ipv6]:port</c>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out ListenAddress? listen, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        listen = null;
        if (!TrySplit(value, out var host, out var port))
        {
            error = $"listen address '{value}' is not HOST:PORT (for example 127.0.0.1:8080)";
            return false;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            listen = new ListenAddress(IPAddress.Loopback, port, IsLocalhostName: true);
            error = null;
            return true;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            error = $"listen host '{host}' is not an IP address or 'localhost'";
            return false;
        }

        listen = new ListenAddress(address, port, IsLocalhostName: false);
        error = null;
        return true;
    }

    /// <summary>The text <see cref="TryParse"/> reads back to this address.</summary>
    public override string ToString() => IsLocalhostName
        ? $"localhost:{Port}"
        : Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    /// <summary>
    /// The address as <c>HOST:PORT</c> text, for callers that combine it with <c>--listen</c> text before parsing
    /// both with <see cref="TryParse"/>.
    /// </summary>
    public static implicit operator string(ListenAddress listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        return listen.ToString();
    }

    /// <summary>Splits <c>host:port</c> or <c>[ipv6]:port</c> (an IPv6 host needs the brackets).</summary>
    private static bool TrySplit(string value, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        int colon;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 2 || close + 1 >= value.Length || value[close + 1] != ':')
            {
                return false;
            }

            host = value[1..close];
            colon = close + 1;
        }
        else
        {
            colon = value.LastIndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            host = value[..colon];
            if (host.Contains(':', StringComparison.Ordinal) || host.Any(char.IsWhiteSpace))
            {
                return false;
            }
        }

        return int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }
}
