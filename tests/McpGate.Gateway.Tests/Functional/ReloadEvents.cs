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
    public static Task<GateState> NextVersionAsync(this GateStateStore store)
    {
        var next = new TaskCompletionSource<GateState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(GateState state)
        {
            store.Reloaded -= OnReloaded;
            next.TrySetResult(state);
        }

        store.Reloaded += OnReloaded;
        return next.Task.WaitAsync(s_timeout);
    }

    /// <summary>Completes when the next changed file has been refused, with the loader's message.</summary>
    public static Task<string> NextRefusalAsync(this GateStateStore store)
    {
        var next = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRefused(string message)
        {
            store.ReloadRefused -= OnRefused;
            next.TrySetResult(message);
        }

        store.ReloadRefused += OnRefused;
        return next.Task.WaitAsync(s_timeout);
    }
}
