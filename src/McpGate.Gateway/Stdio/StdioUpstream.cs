using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using McpGate.Configuration;
using McpGate.Gateway.Telemetry;
using Microsoft.Extensions.Logging;

namespace McpGate.Gateway.Stdio;

/// <summary>
/// One <c>command</c> upstream: its sessions, and its child (<c>shared</c>) or children (<c>per-session</c>). Starts
/// lazily, restarts after an exit with backoff, and answers <c>initialize</c> (docs/stdio.md, "Sharing").
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2213", Justification = "The start lock never allocates a wait handle; an upstream lives as long as the gate or its config.")]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The start lock never allocates a wait handle; an upstream lives as long as the gate or its config.")]
internal sealed class StdioUpstream
{
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_sharedSessionLifetime = TimeSpan.FromHours(24);

    // How long a retired upstream waits for its calls in flight: as long as the gate's own shutdown waits for requests.
    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(30);

    // The version a child is initialized with when the first caller never sent initialize (discovery through the
    // 2026-07-28 path falls back to initialize with this) .
    private const string DefaultProtocolVersion = "2025-11-25";

    private readonly ConcurrentDictionary<string, StdioSession> _sessions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StdioMetrics? _metrics;

    // Why the gate stopped a child, for its exit's metric; a child not in here ended on its own. Weak: an entry goes
    // with its child.
    private readonly ConditionalWeakTable<StdioChild, string> _stopReasons = new();
    private StdioChild? _shared;
    private byte[]? _initializeResult;
    private string? _protocolVersion;
    private long _lastExit;
    private int _failures;
    private int _restarts;
    private int _starts;
    private string? _lastError;

    // Set once by StopAsync or RetireAsync (the exit reason): from then on no child is started, and one whose start was
    // under way is stopped as soon as it is up.
    private string? _closed;

    public StdioUpstream(UpstreamConfig config, TimeProvider time, ILogger logger, StdioMetrics? metrics = null)
    {
        Config = config;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The entry in force: a reload that keeps the launch settings swaps in its new limits and timeouts.</summary>
    public UpstreamConfig Config { get; set; }

    public StdioSettings Settings => Config.Stdio ?? StdioSettings.Default;

    public int Restarts => Volatile.Read(ref _restarts);

    public string? LastError => Volatile.Read(ref _lastError);

    public int SessionCount => _sessions.Count;

    /// <summary>Children alive now: the shared one, or one per session.</summary>
    public int RunningProcesses => Settings.Sharing == StdioSharing.Shared
        ? (_shared is { HasExited: false } ? 1 : 0)
        : _sessions.Values.Count(s => s.OwnChild is { HasExited: false });

    /// <summary>True when <paramref name="other"/> starts the same program the same way (a reload may keep the children).</summary>
    public bool SameLaunch(UpstreamConfig other) =>
        other.Command == Config.Command && other.Cwd == Config.Cwd && other.Args.SequenceEqual(Config.Args)
        && other.Env.Count == Config.Env.Count && other.Env.All(e => Config.Env.TryGetValue(e.Key, out var v) && v == e.Value)
        && Equals(other.Stdio?.Sharing, Config.Stdio?.Sharing);

    public StdioSession? FindSession(string id)
    {
        if (_sessions.TryGetValue(id, out var session))
        {
            session.Touch(_time.GetTimestamp());
            return session;
        }

        return null;
    }

    /// <summary>The child that serves <paramref name="session"/> (or a session-less request), started if need be.</summary>
    /// <exception cref="StdioStartException">The child could not be started or initialized.</exception>
    public async Task<StdioChild> ChildForAsync(StdioSession? session, CancellationToken cancellationToken)
    {
        if (session?.OwnChild is { } own)
        {
            return own;
        }

        if (Volatile.Read(ref _shared) is { HasExited: false } running)
        {
            return running;
        }

        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (_shared is { HasExited: false } started)
            {
                return started;
            }

            var child = await StartAsync(cancellationToken);
            if (_protocolVersion is { } version)
            {
                // A restart: the child is initialized as its predecessor was, and the sessions carry on.
                await InitializeAsync(child, version, cancellationToken);
            }

            return await PublishSharedAsync(child);
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>
    /// A caller's <c>initialize</c> in <c>shared</c> mode: the child is initialized once (with the first caller's protocol
    /// version), and every session is answered with that same result.
    /// </summary>
    public async Task<(StdioSession Session, byte[] Answer)> InitializeSharedAsync(CallerMessage request, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _initializeResult) is null)
        {
            await _startLock.WaitAsync(cancellationToken);
            try
            {
                if (_initializeResult is null)
                {
                    var child = _shared is { HasExited: false } running ? running : await PublishSharedAsync(await StartAsync(cancellationToken));
                    var version = request.Inspected.ProtocolVersion ?? DefaultProtocolVersion;
                    await InitializeAsync(child, version, cancellationToken);
                    _protocolVersion = version;
                }
            }
            finally
            {
                _startLock.Release();
            }
        }

        var session = AddSession(null);
        return (session, JsonRpcRewriter.Result(request.Id, _initializeResult!));
    }

    /// <summary>
    /// A caller's <c>initialize</c> in <c>per-session</c> mode: a child of its own, initialized by the caller itself.
    /// Null session: refused (the answer says why), nothing left running.
    /// </summary>
    public async Task<(StdioSession? Session, byte[] Answer)> InitializePerSessionAsync(CallerMessage request, CancellationToken cancellationToken)
    {
        var id = request.Id;
        StdioChild child;
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (RunningProcesses >= Settings.MaxProcesses)
            {
                _metrics?.Refused(Config.Alias);
                return (null, JsonRpcRewriter.Error(id, StdioErrors.TooManyProcesses,
                    $"server '{Config.Alias}' already runs {Settings.MaxProcesses} processes, its stdio.maxProcesses; end a session (DELETE) or wait for an idle one to be reaped, then retry"));
            }

            child = await StartAsync(cancellationToken);
        }
        finally
        {
            _startLock.Release();
        }

        var session = new StdioSession(NewSessionId(), child, _time.GetTimestamp());
        var answer = await CallInitializeAsync(child, session, request, cancellationToken);
        using var document = JsonDocument.Parse(answer);
        if (!document.RootElement.TryGetProperty("result", out _))
        {
            await StopChildAsync(child, "initialize failed", StdioReasons.InitializeFailed);
            RecordFailure("initialize failed: " + ErrorMessage(document.RootElement));
            return (null, answer);
        }

        _sessions[session.Id] = session;

        // A full fence between adding the session and reading the flag, as StopAsync sets the flag, then lists the
        // sessions: one of the two sees the other.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _closed) is { } closed)
        {
            // Stopped or retired while this child started: StopAsync may have missed the session, so it ends here.
            await EndSessionAsync(session, "upstream stopped", closed);
            throw new StdioStartException(ClosedMessage);
        }

        return (session, answer);
    }

    public StdioSession AddSession(StdioChild? child)
    {
        var session = new StdioSession(NewSessionId(), child, _time.GetTimestamp());
        _sessions[session.Id] = session;
        return session;
    }

    /// <param name="exitReason">Why, as the child's exit metric says it (<see cref="StdioReasons"/>).</param>
    public async Task EndSessionAsync(StdioSession session, string reason, string exitReason = StdioReasons.SessionEnded)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            session.End();
            if (session.OwnChild is { } child)
            {
                await StopChildAsync(child, reason, exitReason);
            }
        }
    }

    /// <summary>Ends the sessions no request has used for <c>stdio.idleTimeout</c> (and their children).</summary>
    public async Task ReapIdleAsync()
    {
        // A shared session holds no process, only an entry: it is forgotten as late as the gate's own session binding.
        var limit = Settings.Sharing == StdioSharing.Shared ? s_sharedSessionLifetime : Settings.IdleTimeout;
        var now = _time.GetTimestamp();
        foreach (var (_, session) in _sessions)
        {
            // Requests count, an open GET stream does not: a client that only listens would hold its process forever.
            var idle = session.OwnChild is { HasExited: true } || _time.GetElapsedTime(session.LastUsed, now) >= limit;
            if (idle)
            {
                await EndSessionAsync(session, "idle", StdioReasons.IdleTimeout);
                _logger.SessionReaped(Config.Alias, _sessions.Count);
            }
        }
    }

    /// <summary>
    /// After a reload that removed this server or changed how it starts: nothing new starts here, the calls in flight
    /// may end (at most 30 s, as at shutdown), then every child is stopped as at shutdown.
    /// </summary>
    public async Task RetireAsync()
    {
        Interlocked.CompareExchange(ref _closed, StdioReasons.Reload, null);
        var children = Sessions().Select(s => s.OwnChild).Append(Volatile.Read(ref _shared)).OfType<StdioChild>().ToList();
        try
        {
            await Task.WhenAll(children.Select(child => Task.WhenAny(child.WhenIdleAsync(), child.Exited))).WaitAsync(s_drainLimit, _time);
        }
        catch (TimeoutException)
        {
        }

        await StopAsync(StdioReasons.Reload);
    }

    /// <param name="exitReason"><see cref="StdioReasons.GateStopping"/> or <see cref="StdioReasons.Reload"/>.</param>
    public async Task StopAsync(string exitReason)
    {
        Interlocked.CompareExchange(ref _closed, exitReason, null);
        var reason = exitReason == StdioReasons.Reload ? "config reload" : "gate stopping";
        var stops = new List<Task>();
        foreach (var (_, session) in _sessions)
        {
            stops.Add(EndSessionAsync(session, reason, exitReason));
        }

        if (Interlocked.Exchange(ref _shared, null) is { } shared)
        {
            stops.Add(StopChildAsync(shared, reason, exitReason));
        }

        await Task.WhenAll(stops);
    }

    private IEnumerable<StdioSession> Sessions() => _sessions.Values;

    private string ClosedMessage => $"server '{Config.Alias}' was stopped ({(Volatile.Read(ref _closed) == StdioReasons.Reload ? "a config reload removed or changed it" : "the gate is stopping")})";

    /// <summary>
    /// Makes <paramref name="child"/> the shared one, unless the upstream was stopped meanwhile: StopAsync may then have
    /// looked before it was there, so it is stopped here rather than left running.
    /// </summary>
    private async Task<StdioChild> PublishSharedAsync(StdioChild child)
    {
        Interlocked.Exchange(ref _shared, child);
        if (Volatile.Read(ref _closed) is { } closed && Interlocked.CompareExchange(ref _shared, null, child) == child)
        {
            await StopChildAsync(child, "upstream stopped", closed);
            throw new StdioStartException(ClosedMessage);
        }

        return child;
    }

    private IEnumerable<StdioSession> SessionsOf(StdioChild child) => Sessions().Where(s => s.OwnChild is null || ReferenceEquals(s.OwnChild, child));

    private async Task<StdioChild> StartAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _closed) is not null)
        {
            throw new StdioStartException(ClosedMessage);
        }

        // After an exit, wait before starting again: 0.25 s, doubling per exit in a row, at most 30 s. A child that
        // crashes on start must not be restarted in a loop by a client that retries.
        var failures = Volatile.Read(ref _failures);
        if (failures > 0)
        {
            var backoff = TimeSpan.FromMilliseconds(Math.Min(s_maxBackoff.TotalMilliseconds, 250 * Math.Pow(2, failures - 1)));
            var waited = _time.GetElapsedTime(Volatile.Read(ref _lastExit));
            if (waited < backoff)
            {
                await Task.Delay(backoff - waited, _time, cancellationToken);
            }
        }

        StdioChild? child = null;
        try
        {
            child = StdioChild.Start(Config, _logger, () => SessionsOf(child!));
        }
        catch (Win32Exception ex)
        {
            _metrics?.Started(Config.Alias, StdioReasons.StartFailed);
            RecordFailure($"cannot start \"{Config.Command}\": {ex.Message}");
            throw new StdioStartException(LastError!, ex);
        }

        var restart = Interlocked.Increment(ref _starts) > 1;
        if (restart)
        {
            Interlocked.Increment(ref _restarts);
        }

        _metrics?.Started(Config.Alias, Settings.Sharing == StdioSharing.PerSession ? StdioReasons.Session : restart ? StdioReasons.Restart : StdioReasons.Start);

        var started = _time.GetTimestamp();
        _ = child.Exited.ContinueWith(
            exit =>
            {
                // A child that ran a while before it exited resets the backoff; one that dies at once grows it. An exit
                // the gate asked for (a session ended, idle, a reload, shutdown) is no failure: it neither grows the
                // backoff nor becomes /readyz's last error. A failed initialize was recorded where it failed.
                if (_time.GetElapsedTime(started) > s_maxBackoff)
                {
                    Volatile.Write(ref _failures, 0);
                }

                var asked = _stopReasons.TryGetValue(child, out var stopped);
                if (!asked)
                {
                    RecordFailure($"process {child.ProcessId} exited with code {exit.Result}");
                }

                _metrics?.Exited(Config.Alias, asked ? stopped! : exit.Result == 0 ? StdioReasons.Exited : StdioReasons.Crashed);
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return child;
    }

    /// <summary>Stops a child, noting why first (<paramref name="exitReason"/>), so its exit is counted as asked for.</summary>
    private Task StopChildAsync(StdioChild child, string reason, string exitReason)
    {
        // One that has exited already did so on its own (the reaper ends a session whose child died): not asked for.
        if (!child.HasExited)
        {
            _stopReasons.AddOrUpdate(child, exitReason);
        }

        return child.StopAsync(s_stopGrace, reason);
    }

    private void RecordFailure(string error)
    {
        Volatile.Write(ref _lastError, error);
        Volatile.Write(ref _lastExit, _time.GetTimestamp());
        Interlocked.Increment(ref _failures);
    }

    private async Task InitializeAsync(StdioChild child, string protocolVersion, CancellationToken cancellationToken)
    {
        // The gate is the child's one client: it declares what it can route back to a session (sampling, elicitation),
        // not roots, which a shared child would otherwise take from whichever caller came first.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            writer.WriteNumber("id", 0);
            writer.WriteString("method", "initialize");
            writer.WriteStartObject("params");
            writer.WriteString("protocolVersion", protocolVersion);
            writer.WriteStartObject("capabilities");
            writer.WriteStartObject("sampling");
            writer.WriteEndObject();
            writer.WriteStartObject("elicitation");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteStartObject("clientInfo");
            writer.WriteString("name", "mcpgate");
            writer.WriteString("version", typeof(StdioUpstream).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var answer = await CallInitializeAsync(child, null, CallerMessage.Parse(buffer.WrittenSpan), cancellationToken);
        using var response = JsonDocument.Parse(answer);
        if (!response.RootElement.TryGetProperty("result", out var result))
        {
            await StopChildAsync(child, "initialize failed", StdioReasons.InitializeFailed);
            RecordFailure("initialize failed: " + ErrorMessage(response.RootElement));
            throw new StdioStartException(LastError!);
        }

        _initializeResult = JsonRpcRewriter.Raw(result);
        await child.SendRawAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}"""u8.ToArray());
        Volatile.Write(ref _lastError, null);
    }

    /// <summary>
    /// Sends <c>initialize</c> to a new child and waits for its answer at most <c>stdio.startTimeout</c>. A child that
    /// does not answer in time, or whose caller went away, is stopped with its descendants: it serves no session, and
    /// nothing else would ever end it.
    /// </summary>
    private async Task<byte[]> CallInitializeAsync(StdioChild child, StdioSession? session, CallerMessage request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Settings.StartTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await child.CallAsync(session, request, null, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await StopChildAsync(child, "no answer to initialize in time", StdioReasons.InitializeFailed);
            RecordFailure($"no answer to initialize within {Settings.StartTimeout.TotalSeconds:0.#} s (stdio.startTimeout)");
            throw new StdioStartException(LastError!);
        }
        catch
        {
            await StopChildAsync(child, "initialize did not complete", StdioReasons.InitializeFailed);
            throw;
        }
    }

    private static string ErrorMessage(JsonElement answer) =>
        answer.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) ? message.ToString() : "no result";

    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>A stdio upstream could not be started or initialized; the message is for the log and <c>/readyz</c>.</summary>
internal sealed class StdioStartException(string message, Exception? inner = null) : Exception(message, inner);
