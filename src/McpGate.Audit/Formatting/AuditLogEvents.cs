using McpGate.Policy.Evaluation;
using Serilog.Events;
using Serilog.Parsing;

namespace McpGate.Audit.Formatting;

/// <summary>
/// An audit record as a Serilog event, for the sinks an operator adds with <c>gateway.audit.serilog</c>: one
/// property per audit field (named as on the line, <see cref="AuditFields"/>), the record's time as the event's, and a
/// message a log viewer can show. Denials and rejections are <see cref="LogEventLevel.Warning"/>, the rest
/// <see cref="LogEventLevel.Information"/>, so a viewer can filter on level alone.
/// </summary>
public static class AuditLogEvents
{
    /// <summary>The message every audit event renders, e.g. <c>mcp.tool_called deny bob github delete_file</c>.</summary>
    public static readonly MessageTemplate Template = new MessageTemplateParser().Parse(
        "{" + AuditFields.Event + "} {" + AuditFields.Decision + "} {" + AuditFields.Subject + "} {" + AuditFields.Server + "} {" + AuditFields.Tool + "}");

    private static readonly ScalarValue s_null = new(null);

    public static LogEvent Create(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var decision = record.Decision;
        var properties = new LogEventProperty[]
        {
            // ts is the event's own timestamp.
            new(AuditFields.Event, Scalar(record.Event)),
            new(AuditFields.DecisionId, Scalar(record.DecisionId)),
            new(AuditFields.TraceId, Scalar(record.TraceId)),
            new(AuditFields.JsonRpcId, Scalar(record.JsonRpcId)),
            new(AuditFields.Subject, Scalar(record.Subject)),
            new(AuditFields.Roles, List(record.Roles)),
            new(AuditFields.Auth, Scalar(record.Auth)),
            new(AuditFields.Server, Scalar(record.Server)),
            new(AuditFields.Method, Scalar(record.Method)),
            new(AuditFields.Tool, Scalar(record.Tool)),
            new(AuditFields.Resource, Scalar(record.Resource)),
            new(AuditFields.Prompt, Scalar(record.Prompt)),
            new(AuditFields.Decision, Scalar(decision?.Verdict.ToWire())),
            new(AuditFields.Result, Scalar(record.Result)),
            new(AuditFields.MatchedRule, Scalar(decision?.MatchedRule)),
            new(AuditFields.AccessKind, Scalar(decision?.AccessKind.ToWire())),
            new(AuditFields.GrantAccess, Scalar(decision?.GrantAccess?.ToWire())),
            new(AuditFields.ClassificationKind, Scalar(decision?.ClassificationKind?.ToWire())),
            new(AuditFields.ClassificationSource, Scalar(decision?.ClassificationSource?.ToWire())),
            new(AuditFields.ClassificationConfidence, decision?.ClassificationConfidence is { } confidence ? new ScalarValue(confidence) : s_null),
            new(AuditFields.DurationMs, new ScalarValue(record.DurationMs)),
            new(AuditFields.UpstreamStatus, record.UpstreamStatus is { } status ? new ScalarValue(status) : s_null),
            new(AuditFields.ArgKeys, List(record.ArgKeys)),
            new(AuditFields.Hidden, List(record.Hidden)),
        };

        var denied = decision is { IsAllowed: false } || record.Event == AuditEvents.RequestRejected || record.Event == AuditEvents.AuthFailed;
        return new LogEvent(record.Timestamp, denied ? LogEventLevel.Warning : LogEventLevel.Information, exception: null, Template, properties);
    }

    private static ScalarValue Scalar(string? value) => string.IsNullOrEmpty(value) ? s_null : new ScalarValue(value);

    private static LogEventPropertyValue List(IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0)
        {
            return s_null;
        }

        var items = new LogEventPropertyValue[values.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new ScalarValue(values[i]);
        }

        return new SequenceValue(items);
    }
}
