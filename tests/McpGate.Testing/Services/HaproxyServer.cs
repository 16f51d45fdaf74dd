using System.Globalization;
using System.Text;

namespace McpGate.Testing;

/// <summary>
/// A real HAProxy (the Debian package; <c>.ci/run</c> installs it) on a free loopback port, balancing round robin
/// with no affinity over the given backends: every request may land on another one. It checks each backend's
/// <c>/healthz</c> every 250 ms and stops sending to one that refuses it or has not answered in 5 s; a request whose connection is refused is retried on
/// another backend. Nothing that reached a backend is sent twice. Or run with a configuration of the test's own:
/// <see cref="StartAsync(string, int)"/>.
/// </summary>
public sealed class HaproxyServer : IAsyncDisposable
{
    private readonly ServiceProcess _process;
    private readonly TempDirectory _directory;

    private HaproxyServer(ServiceProcess process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}");

    /// <summary>Long enough for the health checks to take a dead backend out of rotation (a failed check, plus slack).</summary>
    public static TimeSpan DetectionTime => TimeSpan.FromSeconds(1);

    public static async Task<HaproxyServer> StartAsync(IReadOnlyList<int> backendPorts)
    {
        var port = UnusedLoopback.Port();
        var config = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $$"""
            global
              maxconn 256
              log stderr format raw local0 info
            defaults
              mode http
              log global
              option httplog
              timeout connect 2s
              timeout client 60s
              timeout server 60s
              # A connection refused (a replica gone) is retried on another server; only connection failures are retried,
              # so a request a replica received is never sent again.
              retries 3
              option redispatch 1
              # A new server connection for every request: round robin per request, not per client connection.
              option http-server-close
            frontend gate
              bind 127.0.0.1:{{port}}
              default_backend replicas
            backend replicas
              balance roundrobin
              # The way a load balancer learns a replica is gone: its liveness endpoint stops answering.
              option httpchk GET /healthz
              # A replica that is gone refuses the check's connection at once, so one failed check (every 250 ms) takes it
              # out. A slow answer is not a failure: unset, the check's timeout is `inter` (250 ms), and a replica still
              # warming up on a loaded CI machine was taken out of rotation, every replica at once (503 for the client).
              timeout check 5s
              default-server check inter 250ms fall 1 rise 1

            """));
        for (var i = 0; i < backendPorts.Count; i++)
        {
            config.Append(CultureInfo.InvariantCulture, $"  server r{i + 1} 127.0.0.1:{backendPorts[i]}\n");
        }

        return await StartAsync(config.ToString(), port);
    }

    /// <summary>HAProxy run with <paramref name="config"/> as it is, which binds 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<HaproxyServer> StartAsync(string config, int port)
    {
        var directory = new TempDirectory();
        var path = directory.WriteFile("haproxy.cfg", config);
        // HAProxy's request log, kept beside its config while it runs (which replica answered what, retries).
        var process = await ServiceProcess.StartAsync("haproxy", ["-f", path, "-db"], port, directory.Combine("haproxy.log"));
        return new HaproxyServer(process, directory, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Dispose();
    }
}
