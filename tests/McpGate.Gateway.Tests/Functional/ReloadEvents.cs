using McpGate.Gateway.Configuration;

namespace McpGate.Gateway.Tests.Functional;

/// <summary>
/// Awaits the gate's reload outcomes instead of polling for them. Take the task before changing the file, so the
/// event cannot pass unseen; the timeout only bounds a broken watcher.
/// </summary>
internal static class ReloadEvents
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    /// <summary>Completes when the next policy version is in force.</summary>
    public static Task<GateState> NextVersionAsync(this GateStateStore store) =>
        NextAsync<GateState>(handler => store.Reloaded += handler, handler => store.Reloaded -= handler);

    /// <summary>Completes when the next changed file has been refused, with the loader's message.</summary>
    public static Task<string> NextRefusalAsync(this GateStateStore store) =>
        NextAsync<string>(handler => store.ReloadRefused += handler, handler => store.ReloadRefused -= handler);

    private static Task<T> NextAsync<T>(Action<Action<T>> subscribe, Action<Action<T>> unsubscribe)
    {
        var next = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Once(T value)
        {
            unsubscribe(Once);
            next.TrySetResult(value);
        }

        subscribe(Once);
        return next.Task.WaitAsync(s_timeout);
    }
}
