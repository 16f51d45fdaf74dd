using Microsoft.Extensions.Logging;

namespace McpGate.Testing.Logging;

/// <summary>Collects what the gate logs to its console, to check that a fault is reported there.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public CollectingLogger Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void Dispose()
    {
    }
}
