using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace McpGate.Bench.Runner.Peers;

/// <summary>
/// An OTLP/HTTP receiver that keeps nothing (http/protobuf, as a collector's <c>otlphttp</c> receiver takes it): it
/// answers 200 with an empty export response and counts requests, bytes and, for traces, the spans in them, so the
/// traced gate's figure can be shown to include spans that really left the process.
/// </summary>
internal sealed class OtlpSink
{
    public const string TracesPath = "/v1/traces";
    public const string MetricsPath = "/v1/metrics";

    // ExportTraceServiceRequest.resource_spans (1) → ResourceSpans.scope_spans (2) → ScopeSpans.spans (2).
    private static readonly int[] s_spansPath = [1, 2, 2];

    private long _traceRequests;
    private long _traceBytes;
    private long _spans;
    private long _metricRequests;
    private long _metricBytes;
    private long _unreadable;

    public OtlpCounts Counts => new(
        Interlocked.Read(ref _traceRequests), Interlocked.Read(ref _traceBytes), Interlocked.Read(ref _spans),
        Interlocked.Read(ref _metricRequests), Interlocked.Read(ref _metricBytes), Interlocked.Read(ref _unreadable));

    public async Task ReceiveAsync(HttpContext context, bool traces)
    {
        var reader = context.Request.BodyReader;
        var read = await RequestBodies.ReadToEndAsync(reader, context.RequestAborted);

        var length = read.Buffer.Length;
        if (traces)
        {
            Interlocked.Increment(ref _traceRequests);
            Interlocked.Add(ref _traceBytes, length);
            var body = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                read.Buffer.CopyTo(body);
                Interlocked.Add(ref _spans, ProtobufFields.Count(body.AsSpan(0, (int)length), s_spansPath));
            }
            catch (InvalidDataException)
            {
                // Compressed or not protobuf: counted, so a sink that saw exports but no spans says why.
                Interlocked.Increment(ref _unreadable);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
        else
        {
            Interlocked.Increment(ref _metricRequests);
            Interlocked.Add(ref _metricBytes, length);
        }

        reader.AdvanceTo(read.Buffer.End);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = 0;
    }
}

internal sealed record OtlpCounts(long TraceRequests, long TraceBytes, long Spans, long MetricRequests, long MetricBytes, long Unreadable);

/// <summary>Counts the length-delimited fields at a path of nested protobuf messages, without a protobuf library.</summary>
internal static class ProtobufFields
{
    public static long Count(ReadOnlySpan<byte> message, ReadOnlySpan<int> path)
    {
        long count = 0;
        var at = 0;
        while (at < message.Length)
        {
            var tag = ReadVarint(message, ref at);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    ReadVarint(message, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref at);
                    if (length < 0 || at + length > message.Length)
                    {
                        throw new InvalidDataException("a length runs past the message");
                    }

                    if (field == path[0])
                    {
                        count += path.Length == 1 ? 1 : Count(message.Slice(at, length), path[1..]);
                    }

                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {tag & 7} is not protobuf");
            }
        }

        return count;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= message.Length)
            {
                throw new InvalidDataException("a varint runs past the message");
            }

            var b = message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("a varint longer than 10 bytes");
    }
}
