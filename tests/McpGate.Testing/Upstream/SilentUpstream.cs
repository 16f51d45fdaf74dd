using System.Net;
using System.Net.Sockets;

namespace McpGate.Testing;

/// <summary>
/// A TCP listener on 127.0.0.1 that accepts connections and never answers: the upstream that hangs, for timeout tests.
/// </summary>
public sealed class SilentUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _accepted = [];
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;
    private int _acceptedCount;

    private SilentUpstream()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        McpUrl = new Uri($"http://127.0.0.1:{port}/mcp");
        _acceptLoop = AcceptAsync();
    }

    public Uri McpUrl { get; }

    /// <summary>How many connections were accepted (and left hanging).</summary>
    public int AcceptedConnections => Volatile.Read(ref _acceptedCount);

    public static SilentUpstream Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        lock (_gate)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_gate)
                {
                    _accepted.Add(socket);
                }

                Interlocked.Increment(ref _acceptedCount);
            }
        }
        catch (SocketException) when (_stop.IsCancellationRequested)
        {
            // Listener stopped.
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
            // Listener stopped.
        }
    }
}
