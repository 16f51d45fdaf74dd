using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using McpGate.Gateway.Telemetry;
using McpGate.Gateway.Tests.Functional;
using Microsoft.Extensions.DependencyInjection;

namespace McpGate.Gateway.Tests.Telemetry;

/// <summary>A <see cref="MeterListener"/> on one gate's meter (by its factory, so parallel tests' gates stay apart).</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _recorded = new();

    public MetricsRecorder(RunningGate gate)
    {
        var factory = gate.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GateTelemetryNames.Source && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Recorded> Of(string instrument) => _recorded.Where(r => r.Instrument == instrument).ToList();

    /// <summary>Reads the observable instruments now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, tag) in tags)
        {
            copy[key] = tag?.ToString();
        }

        _recorded.Enqueue(new Recorded(instrument.Name, value, copy));
    }

    internal sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);
}
