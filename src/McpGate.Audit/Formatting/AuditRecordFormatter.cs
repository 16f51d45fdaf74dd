using System.Buffers;
using System.Globalization;
using System.Text.Json;
using McpGate.Policy.Evaluation;

namespace McpGate.Audit.Formatting;

/// <summary>
/// Renders one <see cref="AuditRecord"/> as one flat JSON object and a <c>\n</c> (docs/audit.md, "The line"): every
/// field of
/// <see cref="AuditFields.All"/>, in that order, <c>null</c> when empty. Written by hand with
/// <see cref="Utf8JsonWriter"/> so the order and the null-versus-omitted rule cannot drift with a serializer's
/// settings, and so nothing the record type does not name can ever reach the line.
/// </summary>
/// <remarks>
/// The default encoder escapes every non-ASCII character, so the line is plain ASCII: no byte in it can be
/// mistaken for a line break by a tool that splits on <c>\n</c>, whatever a subject or tool name contains.
/// </remarks>
public static class AuditRecordFormatter
{
    // Numbers below this many thousandths are formatted as integers (see WriteNumber); far beyond any duration.
    private const double MaxThousandthsFastPath = 1e15;

    private static readonly JsonEncodedText s_ts = JsonEncodedText.Encode(AuditFields.Ts);
    private static readonly JsonEncodedText s_event = JsonEncodedText.Encode(AuditFields.Event);
    private static readonly JsonEncodedText s_decisionId = JsonEncodedText.Encode(AuditFields.DecisionId);
    private static readonly JsonEncodedText s_traceId = JsonEncodedText.Encode(AuditFields.TraceId);
    private static readonly JsonEncodedText s_jsonRpcId = JsonEncodedText.Encode(AuditFields.JsonRpcId);
    private static readonly JsonEncodedText s_subject = JsonEncodedText.Encode(AuditFields.Subject);
    private static readonly JsonEncodedText s_roles = JsonEncodedText.Encode(AuditFields.Roles);
    private static readonly JsonEncodedText s_auth = JsonEncodedText.Encode(AuditFields.Auth);
    private static readonly JsonEncodedText s_server = JsonEncodedText.Encode(AuditFields.Server);
    private static readonly JsonEncodedText s_method = JsonEncodedText.Encode(AuditFields.Method);
    private static readonly JsonEncodedText s_tool = JsonEncodedText.Encode(AuditFields.Tool);
    private static readonly JsonEncodedText s_resource = JsonEncodedText.Encode(AuditFields.Resource);
    private static readonly JsonEncodedText s_prompt = JsonEncodedText.Encode(AuditFields.Prompt);
    private static readonly JsonEncodedText s_decision = JsonEncodedText.Encode(AuditFields.Decision);
    private static readonly JsonEncodedText s_result = JsonEncodedText.Encode(AuditFields.Result);
    private static readonly JsonEncodedText s_matchedRule = JsonEncodedText.Encode(AuditFields.MatchedRule);
    private static readonly JsonEncodedText s_accessKind = JsonEncodedText.Encode(AuditFields.AccessKind);
    private static readonly JsonEncodedText s_grantAccess = JsonEncodedText.Encode(AuditFields.GrantAccess);
    private static readonly JsonEncodedText s_classificationKind = JsonEncodedText.Encode(AuditFields.ClassificationKind);
    private static readonly JsonEncodedText s_classificationSource = JsonEncodedText.Encode(AuditFields.ClassificationSource);
    private static readonly JsonEncodedText s_classificationConfidence = JsonEncodedText.Encode(AuditFields.ClassificationConfidence);
    private static readonly JsonEncodedText s_durationMs = JsonEncodedText.Encode(AuditFields.DurationMs);
    private static readonly JsonEncodedText s_upstreamStatus = JsonEncodedText.Encode(AuditFields.UpstreamStatus);
    private static readonly JsonEncodedText s_argKeys = JsonEncodedText.Encode(AuditFields.ArgKeys);
    private static readonly JsonEncodedText s_hidden = JsonEncodedText.Encode(AuditFields.Hidden);
    private static readonly JsonEncodedText s_credentialRoles = JsonEncodedText.Encode(AuditFields.CredentialRoles);
    private static readonly JsonEncodedText s_rateLimitRule = JsonEncodedText.Encode(AuditFields.RateLimitRule);
    private static readonly JsonEncodedText s_issuer = JsonEncodedText.Encode(AuditFields.Issuer);
    private static readonly JsonEncodedText s_clientId = JsonEncodedText.Encode(AuditFields.ClientId);
    private static readonly JsonEncodedText s_authError = JsonEncodedText.Encode(AuditFields.AuthError);
    private static readonly JsonEncodedText s_gateInstance = JsonEncodedText.Encode(AuditFields.GateInstance);

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_parked;

    /// <summary>Appends the record's line, <c>\n</c> included, as UTF-8: the file sink's path, with no detour through
    /// characters.</summary>
    public static void WriteLine(AuditRecord record, IBufferWriter<byte> output) => WriteLine(record, output, static (writer, r) => Write(writer, r));

    /// <summary>Writes one JSON object with <paramref name="write"/> into <paramref name="output"/>, then <c>\n</c>,
    /// with the thread's reusable <see cref="Utf8JsonWriter"/>.</summary>
    internal static void WriteLine<TState>(TState state, IBufferWriter<byte> output, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(output);
        var parked = t_parked ??= new ArrayBufferWriter<byte>(1);
        var writer = t_writer ??= new Utf8JsonWriter(parked);
        writer.Reset(output);
        try
        {
            write(writer, state);
            writer.Flush();
        }
        finally
        {
            // The thread's writer must not keep the caller's buffer alive. Parked on a buffer writer of its own, not a
            // Stream: Reset(Stream) allocates a buffer each time.
            writer.Reset(parked);
        }

        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    public static void Write(Utf8JsonWriter writer, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(record);

        writer.WriteStartObject();
        WriteTimestamp(writer, record.Timestamp);
        WriteString(writer, s_event, record.Event);
        WriteString(writer, s_decisionId, record.DecisionId);
        WriteString(writer, s_traceId, record.TraceId);
        WriteString(writer, s_jsonRpcId, record.JsonRpcId);
        WriteString(writer, s_subject, record.Subject);
        WriteList(writer, s_roles, record.Roles);
        WriteString(writer, s_auth, record.Auth);
        WriteString(writer, s_server, record.Server);
        WriteString(writer, s_method, record.Method);
        WriteString(writer, s_tool, record.Tool);
        WriteString(writer, s_resource, record.Resource);
        WriteString(writer, s_prompt, record.Prompt);

        if (record.Decision is { } decision)
        {
            writer.WriteString(s_decision, decision.Verdict.ToWire());
            WriteString(writer, s_result, record.Result);
            WriteString(writer, s_matchedRule, decision.MatchedRule);
            writer.WriteString(s_accessKind, decision.AccessKind.ToWire());
            WriteString(writer, s_grantAccess, decision.GrantAccess?.ToWire());
            WriteString(writer, s_classificationKind, decision.ClassificationKind?.ToWire());
            WriteString(writer, s_classificationSource, decision.ClassificationSource?.ToWire());
            WriteNumber(writer, s_classificationConfidence, decision.ClassificationConfidence);
        }
        else
        {
            writer.WriteNull(s_decision);
            WriteString(writer, s_result, record.Result);
            writer.WriteNull(s_matchedRule);
            writer.WriteNull(s_accessKind);
            writer.WriteNull(s_grantAccess);
            writer.WriteNull(s_classificationKind);
            writer.WriteNull(s_classificationSource);
            writer.WriteNull(s_classificationConfidence);
        }

        WriteNumber(writer, s_durationMs, record.DurationMs);
        if (record.UpstreamStatus is { } status)
        {
            writer.WriteNumber(s_upstreamStatus, status);
        }
        else
        {
            writer.WriteNull(s_upstreamStatus);
        }

        WriteList(writer, s_argKeys, record.ArgKeys);
        WriteList(writer, s_hidden, record.Hidden);
        WriteList(writer, s_credentialRoles, record.CredentialRoles);

        // Added after the first 26 fields, so readers that index fields by position keep working.
        WriteString(writer, s_rateLimitRule, record.RateLimitRule);
        WriteString(writer, s_issuer, record.Issuer);
        WriteString(writer, s_clientId, record.ClientId);
        WriteString(writer, s_authError, record.AuthError);
        WriteString(writer, s_gateInstance, record.GateInstance);
        writer.WriteEndObject();
    }

    internal static void WriteTimestamp(Utf8JsonWriter writer, DateTimeOffset timestamp)
    {
        // AuditTimestamp.Format, digit by digit: a custom DateTime format string is parsed on every call, and this
        // runs once per audited request.
        var utc = timestamp.UtcDateTime;
        Span<byte> utf8 = stackalloc byte[24];
        WriteDigits(utf8[..4], utc.Year);
        utf8[4] = (byte)'-';
        WriteDigits(utf8.Slice(5, 2), utc.Month);
        utf8[7] = (byte)'-';
        WriteDigits(utf8.Slice(8, 2), utc.Day);
        utf8[10] = (byte)'T';
        WriteDigits(utf8.Slice(11, 2), utc.Hour);
        utf8[13] = (byte)':';
        WriteDigits(utf8.Slice(14, 2), utc.Minute);
        utf8[16] = (byte)':';
        WriteDigits(utf8.Slice(17, 2), utc.Second);
        utf8[19] = (byte)'.';
        WriteDigits(utf8.Slice(20, 3), utc.Millisecond);
        utf8[23] = (byte)'Z';
        writer.WriteString(s_ts, utf8);
    }

    /// <summary>Writes <paramref name="value"/> zero-padded to exactly the span's length.</summary>
    private static void WriteDigits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            writer.WriteNull(name);
        }
        else
        {
            // An unpaired surrogate (possible in a JSON-escaped tool name) is written as U+FFFD, not an exception.
            writer.WriteString(name, value);
        }
    }

    internal static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        // Microsecond precision is all a duration or a confidence needs, and it keeps 0.1 + 0.2 noise off the line.
        if (value is not { } number || !double.IsFinite(number))
        {
            writer.WriteNull(name);
            return;
        }

        var rounded = Math.Round(number, 3, MidpointRounding.AwayFromZero);
        if (Math.Abs(rounded) >= MaxThousandthsFastPath / 1000)
        {
            writer.WriteNumber(name, rounded);
            return;
        }

        // Thousandths as an integer, written as "whole[.fraction]" with the fraction's trailing zeros dropped: the
        // same text the shortest round-trip double format gives for a value with at most three decimals, without it.
        var thousandths = (long)Math.Round(rounded * 1000, MidpointRounding.AwayFromZero);
        Span<byte> utf8 = stackalloc byte[24];
        var length = 0;
        if (thousandths < 0)
        {
            utf8[length++] = (byte)'-';
            thousandths = -thousandths;
        }

        var whole = thousandths / 1000;
        var fraction = (int)(thousandths % 1000);
        whole.TryFormat(utf8[length..], out var written, provider: CultureInfo.InvariantCulture);
        length += written;
        if (fraction != 0)
        {
            utf8[length++] = (byte)'.';
            var digits = fraction % 100 == 0 ? 1 : fraction % 10 == 0 ? 2 : 3;
            WriteDigits(utf8.Slice(length, digits), digits == 1 ? fraction / 100 : digits == 2 ? fraction / 10 : fraction);
            length += digits;
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(utf8[..length], skipInputValidation: true);
    }

    private static void WriteList(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++)
        {
            writer.WriteStringValue(values[i]);
        }

        writer.WriteEndArray();
    }
}
