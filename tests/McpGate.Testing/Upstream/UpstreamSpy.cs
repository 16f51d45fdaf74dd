namespace McpGate.Testing;

/// <summary>
/// What reached a <see cref="TestUpstream"/>: every HTTP request (recorded before the SDK handles it) and every
/// execution of a tool, resource read or prompt (counted inside their bodies, which proves they ran).
/// </summary>
public sealed class UpstreamSpy
{
    private readonly Lock _gate = new();
    private readonly List<ObservedRequest> _requests = [];
    private readonly Dictionary<string, int> _executions = new(StringComparer.Ordinal);
    private readonly List<Waiter> _waiters = [];
    private readonly Dictionary<string, TaskCompletionSource> _listenStreams = new(StringComparer.Ordinal);

    /// <summary>A snapshot of the requests seen so far, oldest first.</summary>
    public IReadOnlyList<ObservedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The POSTs whose JSON-RPC method is <paramref name="method"/>.</summary>
    public IReadOnlyList<ObservedRequest> RequestsFor(string method) =>
        [.. Requests.Where(r => string.Equals(r.Method, method, StringComparison.Ordinal))];

    /// <summary>True when a <c>tools/call</c> for <paramref name="name"/> reached the upstream over HTTP.</summary>
    public bool SawToolCall(string name) =>
        Requests.Any(r => r.Method == "tools/call" && string.Equals(r.ToolName, name, StringComparison.Ordinal));

    /// <summary>True when any request with JSON-RPC method <paramref name="method"/> reached the upstream.</summary>
    public bool SawMethod(string method) => Requests.Any(r => string.Equals(r.Method, method, StringComparison.Ordinal));

    /// <summary>
    /// How many times the body of tool <paramref name="name"/> ran. <c>ask_user</c> and <c>summarize_with_llm</c> run
    /// twice per completed call: once to ask the client, once with its answer.
    /// </summary>
    public int ExecutedToolCount(string name) => Count("tool:" + name);

    /// <summary>How many times the resource <paramref name="uri"/> was read.</summary>
    public int ResourceReadCount(string uri) => Count("resource:" + uri);

    /// <summary>How many times the prompt <paramref name="name"/> was rendered.</summary>
    public int PromptGetCount(string name) => Count("prompt:" + name);

    /// <summary>
    /// Completes with the first request (already seen or still to come) that matches; throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/> (default 10 s). For effects the caller cannot
    /// await directly, e.g. a DELETE sent while a client is disposed.
    /// </summary>
    public async Task<ObservedRequest> WaitForRequestAsync(Func<ObservedRequest, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        Waiter waiter;
        lock (_gate)
        {
            foreach (var seen in _requests)
            {
                if (predicate(seen))
                {
                    return seen;
                }
            }

            waiter = new Waiter(predicate);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// Completes once the upstream has written the first bytes of the standalone GET (listen) stream of session
    /// <paramref name="sessionId"/>: from then on the session's unsolicited messages reach that stream. With
    /// <see cref="TestUpstreamOptions.Resumable"/> the first bytes are the priming event, written as the stream opens;
    /// otherwise they are the first message. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>
    /// (default 10 s).
    /// </summary>
    public Task WaitForListenStreamAsync(string sessionId, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        return ListenStream(sessionId).Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
    }

    /// <summary>Forgets every request and execution recorded so far.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _requests.Clear();
            _executions.Clear();
        }
    }

    internal void RecordRequest(ObservedRequest request)
    {
        List<Waiter>? matched = null;
        lock (_gate)
        {
            _requests.Add(request);
            foreach (var waiter in _waiters)
            {
                if (waiter.Predicate(request))
                {
                    (matched ??= []).Add(waiter);
                }
            }
        }

        // Completed outside the lock: continuations may run inline and call back into the spy.
        if (matched is not null)
        {
            foreach (var waiter in matched)
            {
                waiter.Completion.TrySetResult(request);
            }
        }
    }

    internal void RecordListenStreamWrite(string sessionId) => ListenStream(sessionId).TrySetResult();

    internal void RecordToolExecution(string name) => Increment("tool:" + name);

    internal void RecordResourceRead(string uri) => Increment("resource:" + uri);

    internal void RecordPromptGet(string name) => Increment("prompt:" + name);

    private TaskCompletionSource ListenStream(string sessionId)
    {
        lock (_gate)
        {
            if (!_listenStreams.TryGetValue(sessionId, out var opened))
            {
                opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _listenStreams[sessionId] = opened;
            }

            return opened;
        }
    }

    private void Increment(string key)
    {
        lock (_gate)
        {
            _executions[key] = _executions.GetValueOrDefault(key) + 1;
        }
    }

    private int Count(string key)
    {
        lock (_gate)
        {
            return _executions.GetValueOrDefault(key);
        }
    }

    private sealed class Waiter(Func<ObservedRequest, bool> predicate)
    {
        public Func<ObservedRequest, bool> Predicate { get; } = predicate;

        public TaskCompletionSource<ObservedRequest> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
