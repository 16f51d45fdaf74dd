using System.Buffers;
using System.Text;

namespace McpGate.Audit.Writing;

/// <summary>The <c>--audit-log -</c> sink: each line is written to standard output and flushed before
/// <c>Emit</c> returns; failures (a closed pipe) propagate like the file sink's.</summary>
internal sealed class TextWriterAuditSink : AuditSink
{
    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Lock _gate = new();

    public TextWriterAuditSink(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    protected override void Append<TState>(TState state, Action<TState, IBufferWriter<byte>> format)
    {
        lock (_gate)
        {
            _line.ResetWrittenCount();
            format(state, _line);
            var bytes = _line.WrittenSpan;
            var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
            try
            {
                // ASCII by construction (see AuditRecordFormatter), so one byte is one char; one Write call, so a
                // shared writer never interleaves another writer's text into the line.
                var length = Encoding.UTF8.GetChars(bytes, chars);
                _output.Write(chars.AsSpan(0, length));
                _output.Flush();
            }
            finally
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }
}
