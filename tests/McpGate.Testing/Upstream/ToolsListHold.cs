namespace McpGate.Testing;

/// <summary>
/// Keeps <c>tools/list</c> answers of a <see cref="TestUpstream"/> from being sent until <see cref="Release"/>.
/// </summary>
public sealed class ToolsListHold : IDisposable
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ToolsListHold()
    {
    }

    /// <summary>Completes when the first answer has been computed and is being held.</summary>
    public Task Held => _held.Task;

    /// <summary>Lets every held answer, and every later one, go.</summary>
    public void Release() => _released.TrySetResult();

    public void Dispose() => Release();

    internal Task HoldAsync(CancellationToken cancellationToken)
    {
        _held.TrySetResult();
        return _released.Task.WaitAsync(cancellationToken);
    }
}

/// <summary>The hold in force for one upstream, if any.</summary>
internal sealed class ToolsListHolds
{
    private ToolsListHold? _current;

    public ToolsListHold Begin()
    {
        var hold = new ToolsListHold();
        Volatile.Write(ref _current, hold);
        return hold;
    }

    public Task WaitIfHeldAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _current) is { } hold ? hold.HoldAsync(cancellationToken) : Task.CompletedTask;
}
