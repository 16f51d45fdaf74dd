using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary><c>serverAuth.forwarded</c>: identity asserted in headers by trusted proxies, and which proxies those are.</summary>
internal sealed class ForwardedSectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private static readonly string[] s_forwardedKeys = ["header", "groups_header", "trustedProxies"];

    public ForwardedAuthSettings? Read(JsonElement element, string path)
    {
        var section = Object(element, path, s_forwardedKeys, fix: "write { \"header\": \"x-forwarded-user\", \"groups_header\": \"x-forwarded-groups\", \"trustedProxies\": [\"127.0.0.1/32\"] }");
        if (section is null)
        {
            return null;
        }

        var header = "x-forwarded-user";
        var groupsHeader = "x-forwarded-groups";
        if (section.TryGet("header", out var headerElement, out var headerPath))
        {
            header = ReadHeaderName(headerElement, headerPath) ?? header;
        }

        if (section.TryGet("groups_header", out var groupsElement, out var groupsPath))
        {
            groupsHeader = ReadHeaderName(groupsElement, groupsPath) ?? groupsHeader;
        }

        if (string.Equals(header, groupsHeader, StringComparison.OrdinalIgnoreCase))
        {
            Error(groupsPath, "the groups header is the same as the user header", "use a separate header for groups, e.g. \"x-forwarded-groups\"");
        }

        var networks = new List<IPNetwork>();
        if (!section.TryGet("trustedProxies", out var proxiesElement, out var proxiesPath))
        {
            // (differs) Upstream believes the header from any peer, so any client can claim to be anyone.
            Error(
                path,
                "forwarded identity needs \"trustedProxies\": without it any client could claim any identity",
                "add \"trustedProxies\": [\"127.0.0.1/32\"], listing the address ranges of the reverse proxies that set the headers");
            return null;
        }

        var entries = StringList(
            proxiesElement,
            proxiesPath,
            allowEmptyList: false,
            "list CIDR ranges such as [\"127.0.0.1/32\", \"10.0.0.0/8\"]",
            "list at least one proxy address range, e.g. [\"127.0.0.1/32\"]; with none, forwarded identity is never believed");
        if (entries is null)
        {
            return null;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (TryParseNetwork(entries[i], out var network, out var problem, out var fix))
            {
                networks.Add(network);
            }
            else
            {
                Error(JsonPaths.Index(proxiesPath, i), problem!, fix);
            }
        }

        return new ForwardedAuthSettings
        {
            Header = header,
            GroupsHeader = groupsHeader,
            TrustedProxies = networks.AsReadOnly(),
        };
    }

    private string? ReadHeaderName(JsonElement element, string path)
    {
        var name = String(element, path, "give a header name such as \"x-forwarded-user\"");
        if (name is not null && !IsHeaderName(name))
        {
            Error(path, $"\"{Shorten(name)}\" is not a valid HTTP header name", "use letters, digits and - (e.g. \"x-forwarded-user\")");
            return null;
        }

        return name;
    }

    /// <summary>A CIDR range (<c>10.0.0.0/8</c>) or a single address (taken as /32 or /128).</summary>
    internal static bool TryParseNetwork(string text, out IPNetwork network, out string? problem, out string? fix)
    {
        network = default;
        problem = null;
        fix = "write a CIDR range such as \"127.0.0.1/32\", \"10.0.0.0/8\" or \"::1/128\"";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || !(addressText.Contains(':', StringComparison.Ordinal) || addressText.Count(c => c == '.') == 3))
        {
            problem = $"\"{Shorten(text)}\" is not an IP address or CIDR range";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out prefix) || prefix > maxPrefix))
        {
            problem = $"\"{Shorten(text)}\" has an invalid prefix length (0 to {maxPrefix})";
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        var masked = new IPAddress(bytes);
        if (!masked.Equals(address))
        {
            problem = $"\"{text}\" has bits set after the /{prefix} prefix";
            fix = $"write the network address: \"{masked}/{prefix}\"";
            return false;
        }

        network = new IPNetwork(masked, prefix);
        return true;
    }
}
