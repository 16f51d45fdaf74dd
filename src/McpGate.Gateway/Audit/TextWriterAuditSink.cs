using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace McpGate.Gateway.Audit;

/// <summary>The <c>--audit-log -</c> sink: each line is written to standard output and flushed before
/// <see cref="Emit"/> returns; failures (a closed pipe) propagate to the audit pipeline like the file sink's.</summary>
internal sealed class TextWriterAuditSink : ILogEventSink
{
    private readonly ITextFormatter _formatter;
    private readonly TextWriter _output;
    private readonly Lock _gate = new();

    public TextWriterAuditSink(ITextFormatter formatter, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(output);
        _formatter = formatter;
        _output = output;
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _formatter.Format(logEvent, _output);
            _output.Flush();
        }
    }
}
