using System.Diagnostics.Metrics;
using McpGate.Gateway.Stdio;
using static McpGate.Gateway.Telemetry.GateTelemetryNames;

namespace McpGate.Gateway.Telemetry;

/// <summary>
/// The stdio children on the gate's meter (docs/observability.md, "stdio children"): how many run and how many sessions
/// they serve per server (read from the status <c>/readyz</c> shows, when a collector asks), and each start, exit and
/// <c>maxProcesses</c> refusal as it happens. Every label is a server alias or one of <see cref="StdioReasons"/>.
/// </summary>
internal sealed class StdioMetrics
{
    private readonly Meter _meter;
    private readonly Counter<long> _starts;
    private readonly Counter<long> _exits;
    private readonly Counter<long> _refusals;

    public StdioMetrics(IMeterFactory meterFactory)
    {
        // The same meter as GateMetrics' (the factory hands out one per name).
        _meter = meterFactory.Create(Source);
        _starts = _meter.CreateCounter<long>(StdioStarts, "{process}", "stdio child processes started (or that could not be), by reason");
        _exits = _meter.CreateCounter<long>(StdioExits, "{process}", "stdio child processes that ended, by reason");
        _refusals = _meter.CreateCounter<long>(StdioRefusals, "{session}", "per-session initialize requests refused because stdio.maxProcesses processes were running");
    }

    /// <summary>Publishes the gauges over <paramref name="upstreams"/>; called once, by the gate's <see cref="StdioUpstreams"/>.</summary>
    public void Observe(StdioUpstreams upstreams)
    {
        // Up-down counters, not gauges: processes and sessions add up across servers (a sum over the label means something).
        _meter.CreateObservableUpDownCounter(StdioProcesses, () => Measure(upstreams, static u => u.RunningProcesses), "{process}", "stdio child processes running now, per server (the processes /readyz shows)");
        _meter.CreateObservableUpDownCounter(StdioSessions, () => Measure(upstreams, static u => u.SessionCount), "{session}", "MCP sessions the stdio bridge holds, per server (in per-session mode, one process each)");
    }

    /// <param name="reason"><see cref="StdioReasons.Start"/>, <see cref="StdioReasons.Restart"/>, <see cref="StdioReasons.Session"/> or <see cref="StdioReasons.StartFailed"/>.</param>
    public void Started(string server, string reason)
    {
        if (_starts.Enabled)
        {
            _starts.Add(1, new KeyValuePair<string, object?>(Server, server), new KeyValuePair<string, object?>(StdioReason, reason));
        }
    }

    /// <param name="reason">One of the exit reasons of <see cref="StdioReasons"/>.</param>
    public void Exited(string server, string reason)
    {
        if (_exits.Enabled)
        {
            _exits.Add(1, new KeyValuePair<string, object?>(Server, server), new KeyValuePair<string, object?>(StdioReason, reason));
        }
    }

    public void Refused(string server)
    {
        if (_refusals.Enabled)
        {
            _refusals.Add(1, new KeyValuePair<string, object?>(Server, server));
        }
    }

    private static IEnumerable<Measurement<int>> Measure(StdioUpstreams upstreams, Func<StdioUpstream, int> read)
    {
        foreach (var (server, upstream) in upstreams.Started)
        {
            yield return new Measurement<int>(read(upstream), new KeyValuePair<string, object?>(Server, server));
        }
    }
}

/// <summary>The values of <c>mcpgate.stdio.reason</c>: a closed set (docs/observability.md).</summary>
internal static class StdioReasons
{
    // Starts.

    /// <summary>A <c>shared</c> upstream's first process (since the gate started or its launch settings changed).</summary>
    public const string Start = "start";

    /// <summary>A <c>shared</c> upstream's process started again after the one before ended.</summary>
    public const string Restart = "restart";

    /// <summary>A <c>per-session</c> process, for a new session.</summary>
    public const string Session = "session";

    /// <summary>The command could not be run (not found, not executable): no process.</summary>
    public const string StartFailed = "start_failed";

    // Exits.

    /// <summary>Ended on its own with exit code 0.</summary>
    public const string Exited = "exited";

    /// <summary>Ended on its own with another exit code, by a signal, or stopped for writing a line too long.</summary>
    public const string Crashed = "crashed";

    /// <summary>Stopped by the gate: it did not answer <c>initialize</c> in time, or answered it with an error.</summary>
    public const string InitializeFailed = "initialize_failed";

    /// <summary>Stopped with its session, which no request had used for <c>stdio.idleTimeout</c>.</summary>
    public const string IdleTimeout = "idle_timeout";

    /// <summary>Stopped with its session, which the client ended (<c>DELETE</c>).</summary>
    public const string SessionEnded = "session_ended";

    /// <summary>Stopped because a config reload changed how the upstream is started.</summary>
    public const string Reload = "reload";

    /// <summary>Stopped because the gate is stopping.</summary>
    public const string GateStopping = "gate_stopping";
}
