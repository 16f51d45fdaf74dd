using System.Buffers;
using System.Text.Json;
using McpGate.Mcp.JsonRpc;
using McpGate.Configuration;
using McpGate.Policy.Evaluation;
using Microsoft.AspNetCore.Http;

namespace McpGate.Gateway.Inspection;

/// <summary>The JSON-RPC bodies the gate answers with itself (deny envelope, rejections).</summary>
internal static class JsonRpcResponses
{
    public const int InvalidRequest = -32600;
    public const int ParseError = -32700;
    public const int Unauthenticated = -32000;
    public const int HeaderMismatch = -32020;
    public const int SessionNotFound = -32001;
    public const int UpstreamFailure = -32603;

    /// <summary>
    /// A call over a <c>gateway.rateLimits</c> rule. Outside -32768..-32000, which JSON-RPC and MCP reserve (MCP
    /// 2026-07-28 asks new non-spec codes to be allocated there), and not a code an SDK already gives a meaning to;
    /// the 429 in it is HTTP's Too Many Requests, for a reader of the raw error.
    /// </summary>
    public const int RateLimited = -31429;

    /// <summary>An error with id null (or the request's id) and no data.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, JsonRpcId id, int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteError(writer, id, code, message, reason: null);
        }

        return WriteAsync(context, statusCode, buffer.WrittenMemory);
    }

    /// <summary>
    /// The upstream failed (unreachable, timed out, a 5xx): a <c>-32603</c> error for the request, with a reason that
    /// names the server but never repeats what the upstream said.
    /// </summary>
    public static Task WriteUpstreamFailureAsync(HttpContext context, int statusCode, JsonRpcId id, string message, string reason)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteError(writer, id, UpstreamFailure, message, reason);
        }

        context.Response.Headers.ContentEncoding = default;
        return WriteAsync(context, statusCode, buffer.WrittenMemory);
    }

    /// <summary>The deny envelope (docs/gateway.md, "What the gate does to each request") (or a <c>CallToolResult</c> with <c>denyAs: tool_error</c>).</summary>
    public static Task WriteDenialAsync(HttpContext context, GatewaySettings settings, JsonRpcId id, in Decision decision, string decisionId)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteDenial(writer, settings, id, decision, decisionId);
        }

        // A denied notification has no id to answer; the transport says "not accepted" with an HTTP error.
        return WriteAsync(context, id.IsPresent ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, buffer.WrittenMemory);
    }

    /// <summary>
    /// A call the ACL allowed but a rate limit refused (docs/observability.md): HTTP 429 with <c>Retry-After</c>, and a
    /// JSON-RPC error naming the rule, with <c>data.retry_after_seconds</c> and the decision id of its audit row.
    /// </summary>
    public static Task WriteRateLimitedAsync(HttpContext context, JsonRpcId id, in Decision decision, string decisionId, string rule, int retryAfterSeconds)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteRateLimited(writer, id, decision, decisionId, rule, retryAfterSeconds);
        }

        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(context, StatusCodes.Status429TooManyRequests, buffer.WrittenMemory);
    }

    public static void WriteRateLimited(Utf8JsonWriter writer, JsonRpcId id, in Decision decision, string decisionId, string rule, int retryAfterSeconds)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        id.WriteTo(writer);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, RateLimited);
        writer.WriteString("message"u8, "rate_limited");
        writer.WriteStartObject("data"u8);
        writer.WriteString("server"u8, decision.Server);
        writer.WriteString(decision.TargetKind.ToWire(), decision.Target);
        writer.WriteString("rule"u8, rule);
        writer.WriteNumber("retry_after_seconds"u8, retryAfterSeconds);
        writer.WriteString("decision_id"u8, decisionId);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteDenial(Utf8JsonWriter writer, GatewaySettings settings, JsonRpcId id, in Decision decision, string decisionId)
    {
        if (settings.DenyAs == DenyStyle.ToolError && decision.TargetKind == TargetKind.Tool && id.IsPresent)
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WriteStartObject("result"u8);
            writer.WriteStartArray("content"u8);
            writer.WriteStartObject();
            writer.WriteString("type"u8, "text"u8);
            writer.WriteString("text"u8, $"capability_denied: this caller may not use {decision.Server}/{decision.Target} ({decision.AccessKind.ToWire()} access required). decision_id={decisionId}");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteBoolean("isError"u8, true);
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }

        WriteError(writer, id, settings.DenyErrorCode, "capability_denied", decision, decisionId);
    }

    public static void WriteError(Utf8JsonWriter writer, JsonRpcId id, int code, string message, in Decision decision, string decisionId)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        id.WriteTo(writer);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, code);
        writer.WriteString("message"u8, message);
        writer.WriteStartObject("data"u8);
        writer.WriteString("server"u8, decision.Server);
        writer.WriteString(decision.TargetKind.ToWire(), decision.Target);
        writer.WriteString("required_access"u8, decision.AccessKind.ToWire());
        writer.WriteString("decision_id"u8, decisionId);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteError(Utf8JsonWriter writer, JsonRpcId id, int code, string message, string? reason)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        id.WriteTo(writer);
        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, code);
        writer.WriteString("message"u8, message);
        if (reason is not null)
        {
            writer.WriteStartObject("data"u8);
            writer.WriteString("reason"u8, reason);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static async Task WriteAsync(HttpContext context, int statusCode, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
