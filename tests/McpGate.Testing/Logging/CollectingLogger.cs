using Microsoft.Extensions.Logging;

namespace McpGate.Testing.Logging;

/// <summary>Keeps what was logged, rendered, with the structured values, for assertions.</summary>
public sealed class CollectingLogger : ILogger
{
    private readonly List<Entry> _entries = [];

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value)
            : [];
        lock (_entries)
        {
            _entries.Add(new Entry(logLevel, eventId.Name, formatter(state, exception), values, exception));
        }
    }

    public sealed record Entry(LogLevel Level, string? EventName, string Message, Dictionary<string, object?> Values, Exception? Exception);
}
