using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;

namespace McpGate.Configuration.Loading;

/// <summary>
/// The <c>gateway</c> section (gateway.md): every key optional, defaults from <see cref="GatewaySettings"/>. Its own
/// keys are read here; <c>audit</c>, <c>rateLimits</c>, <c>telemetry</c>, <c>sessions</c> and <c>redis</c> by readers of their own.
/// </summary>
internal sealed class GatewaySectionReader(ConfigErrorSink errors, Func<string, string?> environment) : SectionReader(errors, environment)
{
    private static readonly string[] s_gatewayKeys = ["listen", "allowedOrigins", "denyErrorCode", "denyAs", "audit", "limits", "timeouts", "rateLimits", "telemetry", "sessions", "redis"];
    private static readonly string[] s_limitsKeys = ["maxRequestBytes"];
    private static readonly string[] s_timeoutKeys = ["connectSeconds", "activitySeconds", "discoverySeconds"];

    // A year: longer than any sensible timeout, far from TimeSpan's limits.
    private const double MaxTimeoutSeconds = 365 * 24 * 3600;

    public GatewaySettings Read(ObjectView top)
    {
        var defaults = GatewaySettings.Default;
        if (!top.TryGet("gateway", out var element, out var path))
        {
            return defaults;
        }

        var gateway = Object(element, path, s_gatewayKeys, "write \"gateway\": { \"listen\": \"127.0.0.1:8080\" }");
        if (gateway is null)
        {
            return defaults;
        }

        var listen = defaults.Listen;
        if (gateway.TryGet("listen", out var listenElement, out var listenPath))
        {
            listen = ReadListen(listenElement, listenPath) ?? listen;
        }

        var origins = defaults.AllowedOrigins;
        if (gateway.TryGet("allowedOrigins", out var originsElement, out var originsPath))
        {
            origins = ReadOrigins(originsElement, originsPath);
        }

        var denyErrorCode = defaults.DenyErrorCode;
        if (gateway.TryGet("denyErrorCode", out var codeElement, out var codePath))
        {
            denyErrorCode = ReadDenyErrorCode(codeElement, codePath) ?? denyErrorCode;
        }

        var denyAs = defaults.DenyAs;
        if (gateway.TryGet("denyAs", out var denyAsElement, out var denyAsPath))
        {
            denyAs = ReadDenyStyle(denyAsElement, denyAsPath) ?? denyAs;
        }

        var audit = defaults.Audit;
        if (gateway.TryGet("audit", out var auditElement, out var auditPath))
        {
            audit = new AuditSectionReader(Errors, Environment).Read(auditElement, auditPath, audit);
        }

        var maxRequestBytes = defaults.MaxRequestBytes;
        if (gateway.TryGet("limits", out var limitsElement, out var limitsPath))
        {
            var limits = Object(limitsElement, limitsPath, s_limitsKeys, "write { \"maxRequestBytes\": 4194304 }");
            if (limits is not null && limits.TryGet("maxRequestBytes", out var maxElement, out var maxPath))
            {
                const string Fix = "give a positive number of bytes, e.g. 4194304 (4 MiB)";
                var value = Long(maxElement, maxPath, Fix);
                if (value is <= 0)
                {
                    Error(maxPath, $"maxRequestBytes must be positive, found {value}", Fix);
                }
                else if (value is not null)
                {
                    maxRequestBytes = value.Value;
                }
            }
        }

        var connect = defaults.ConnectTimeout;
        var activity = defaults.ActivityTimeout;
        var discovery = defaults.DiscoveryTimeout;
        if (gateway.TryGet("timeouts", out var timeoutsElement, out var timeoutsPath))
        {
            var timeouts = Object(timeoutsElement, timeoutsPath, s_timeoutKeys, "write { \"connectSeconds\": 10, \"activitySeconds\": 3600, \"discoverySeconds\": 10 }");
            if (timeouts is not null)
            {
                connect = ReadSeconds(timeouts, "connectSeconds") ?? connect;
                activity = ReadSeconds(timeouts, "activitySeconds") ?? activity;
                discovery = ReadSeconds(timeouts, "discoverySeconds") ?? discovery;
            }
        }

        var rateLimits = defaults.RateLimits;
        if (gateway.TryGet("rateLimits", out var rateLimitsElement, out var rateLimitsPath))
        {
            rateLimits = new RateLimitsSectionReader(Errors, Environment).Read(rateLimitsElement, rateLimitsPath);
        }

        var telemetry = defaults.Telemetry;
        if (gateway.TryGet("telemetry", out var telemetryElement, out var telemetryPath))
        {
            telemetry = new TelemetrySectionReader(Errors, Environment).Read(telemetryElement, telemetryPath);
        }

        var sessions = defaults.Sessions;
        if (gateway.TryGet("sessions", out var sessionsElement, out var sessionsPath))
        {
            sessions = new SessionsSectionReader(Errors, Environment).Read(sessionsElement, sessionsPath, sessions);
        }

        var redis = defaults.Redis;
        if (gateway.TryGet("redis", out var redisElement, out var redisPath))
        {
            redis = new RedisSectionReader(Errors, Environment).Read(redisElement, redisPath) ?? redis;
        }

        return new GatewaySettings
        {
            Listen = listen,
            AllowedOrigins = origins,
            DenyErrorCode = denyErrorCode,
            DenyAs = denyAs,
            Audit = audit,
            MaxRequestBytes = maxRequestBytes,
            ConnectTimeout = connect,
            ActivityTimeout = activity,
            DiscoveryTimeout = discovery,
            RateLimits = rateLimits,
            Telemetry = telemetry,
            Sessions = sessions,
            Redis = redis,
        };
    }

    private ListenAddress? ReadListen(JsonElement element, string path)
    {
        const string Fix = "write HOST:PORT, e.g. \"127.0.0.1:8080\" or \"[::1]:8080\"";
        var value = String(element, path, Fix);
        if (value is null)
        {
            return null;
        }

        if (ListenAddress.TryParse(value, out var listen, out _))
        {
            return listen;
        }

        // Only a HOST:PORT whose host is not an address gets the address advice; anything else is a shape error.
        var colon = value.LastIndexOf(':');
        var port = colon > 0 ? value.AsSpan(colon + 1) : default;
        if (colon > 0 && !value.StartsWith('[') && !value[..colon].Contains(':', StringComparison.Ordinal)
            && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535)
        {
            Error(
                path,
                $"\"{Shorten(value)}\" names a host, but the gate listens on an IP address (Kestrel binds addresses, not names)",
                $"write an address of this machine, e.g. \"0.0.0.0:{number}\" (every IPv4 interface), \"127.0.0.1:{number}\" or \"localhost:{number}\"");
            return null;
        }

        Error(path, $"\"{Shorten(value)}\" is not HOST:PORT with a port from 0 to 65535", Fix);
        return null;
    }

    private ReadOnlyCollection<string> ReadOrigins(JsonElement element, string path)
    {
        const string Fix = "list origins as scheme://host[:port], e.g. [\"http://localhost:6274\"]";
        var values = StringList(element, path, allowEmptyList: true, Fix);
        if (values is null)
        {
            return ReadOnlyCollection<string>.Empty;
        }

        var origins = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            if (Uri.TryCreate(values[i], UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
            {
                // Browsers send the origin lowercased and without a default port; compare like with like.
                origins.Add(uri.GetLeftPart(UriPartial.Authority));
            }
            else
            {
                Error(JsonPaths.Index(path, i), $"\"{Shorten(values[i])}\" is not an origin (scheme://host[:port], no path)", Fix);
            }
        }

        return origins.AsReadOnly();
    }

    /// <summary>
    /// The JSON-RPC error code of a denial. Codes with a meaning a client already acts on are refused, so that a
    /// denial is never mistaken for a timeout, a lost session or a missing resource.
    /// </summary>
    private int? ReadDenyErrorCode(JsonElement element, string path)
    {
        const string Fix = "use the default -32003, or a code outside -32768..-32000 (e.g. 403 or -31003)";
        var code = Int(element, path, Fix);
        if (code is null)
        {
            return null;
        }

        var reason = DenyErrorCodeConflict(code.Value);
        if (reason is not null)
        {
            Error(path, $"denyErrorCode {code} {reason}", Fix);
            return null;
        }

        return code;
    }

    internal static string? DenyErrorCodeConflict(int code) => code switch
    {
        -32700 => "is JSON-RPC's parse error",
        -32600 => "is JSON-RPC's invalid request",
        -32601 => "is JSON-RPC's method not found",
        -32602 => "is JSON-RPC's invalid params (and MCP's unknown tool)",
        -32603 => "is JSON-RPC's internal error",
        -32000 => "is the gate's own \"unauthenticated\" error and the SDKs' generic transport error",
        -32001 => "is what the TypeScript SDK uses for request timeouts and the SDKs for \"session not found\"",
        -32002 => "is MCP's \"resource not found\"",
        -32042 => "is MCP's URL elicitation required",
        >= -32099 and <= -32020 => "is in -32099..-32020, which the MCP specification reserves for its own codes",
        >= -32768 and <= -32100 => "is in -32768..-32100, which JSON-RPC 2.0 reserves for pre-defined errors",
        _ => null,
    };

    private DenyStyle? ReadDenyStyle(JsonElement element, string path)
    {
        var value = String(element, path, "write \"error\" or \"tool_error\"");
        switch (value)
        {
            case null:
                return null;
            case "error":
                return DenyStyle.Error;
            case "tool_error":
                return DenyStyle.ToolError;
        }

        var close = Suggestions.Closest(value, ["error", "tool_error"]);
        Error(path, $"\"{Shorten(value)}\" is not \"error\" or \"tool_error\"", close is not null ? $"did you mean \"{close}\"?" : "write \"error\" (a JSON-RPC error) or \"tool_error\" (a CallToolResult with isError: true)");
        return null;
    }

    private TimeSpan? ReadSeconds(ObjectView timeouts, string key)
    {
        if (!timeouts.TryGet(key, out var element, out var path))
        {
            return null;
        }

        var fix = $"give a positive number of seconds up to {MaxTimeoutSeconds:0}, e.g. 10";
        var seconds = Number(element, path, fix);
        if (seconds is null)
        {
            return null;
        }

        if (seconds <= 0 || seconds > MaxTimeoutSeconds)
        {
            Error(path, $"{key} must be more than 0 and at most {MaxTimeoutSeconds:0}, found {element.GetRawText()}", fix);
            return null;
        }

        return TimeSpan.FromSeconds(seconds.Value);
    }
}
