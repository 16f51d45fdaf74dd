using McpGate.Policy.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace McpGate.Gateway.Configuration;

/// <summary>
/// Holds the policy in force and swaps in a new version when the config file changes (hot reload). An invalid file
/// is refused with the loader's message; the last good policy stays in force.
/// </summary>
internal sealed class GateStateStore : IHostedService, IDisposable
{
    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(200);

    private readonly InMemoryConfigProvider _proxyConfig;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GateStateStore> _logger;
    private readonly object _reloadLock = new();
    private FileSystemWatcher? _watcher;
    private Timer? _debounceTimer;
    private volatile GateState _current;
    private long _refusedReloads;

    public GateStateStore(GateConfig initial, InMemoryConfigProvider proxyConfig, TimeProvider timeProvider, ILogger<GateStateStore> logger)
    {
        _proxyConfig = proxyConfig;
        _timeProvider = timeProvider;
        _logger = logger;
        _current = new GateState(initial, timeProvider.GetUtcNow(), 1);
    }

    public GateState Current => _current;

    public long RefusedReloads => Interlocked.Read(ref _refusedReloads);

    public string? LastReloadError { get; private set; }

    /// <summary>Raised after a new policy version is in force.</summary>
    public event Action<GateState>? Reloaded;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(_current.Config.SourcePath);
        var directory = Path.GetDirectoryName(path);
        if (directory is not null && Directory.Exists(directory))
        {
            _debounceTimer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
            _watcher = new FileSystemWatcher(directory, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
            };

            // Editors save by write-in-place, by rename-over or by delete-and-create; all of them end up here.
            _watcher.Changed += OnFileEvent;
            _watcher.Created += OnFileEvent;
            _watcher.Renamed += OnFileEvent;
            _watcher.EnableRaisingEvents = true;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null)
        {
            _watcher.EnableRaisingEvents = false;
        }

        return Task.CompletedTask;
    }

    /// <summary>Loads the config file again; returns true when a new version is now in force.</summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            var previous = _current;
            GateConfig config;
            try
            {
                config = ConfigLoader.Load(previous.Config.SourcePath);
            }
            catch (ConfigLoadException ex)
            {
                Interlocked.Increment(ref _refusedReloads);
                LastReloadError = ex.Message;
                _logger.PolicyReloadRefused(ex.Message);
                return false;
            }
            catch (IOException ex)
            {
                // The file is mid-write or briefly gone during a rename-over save; the next event retries.
                Interlocked.Increment(ref _refusedReloads);
                LastReloadError = ex.Message;
                _logger.PolicyReloadRefused(ex.Message);
                return false;
            }

            var next = new GateState(config, _timeProvider.GetUtcNow(), previous.Revision + 1);
            var proxy = ProxyConfigFactory.Create(config);
            _current = next;
            _proxyConfig.Update(proxy.Routes, proxy.Clusters);
            LastReloadError = null;
            _logger.PolicyReloaded(config.SourcePath, config.Evaluator.Schema, config.Servers.Count);
            Reloaded?.Invoke(next);
            return true;
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounceTimer?.Dispose();
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => _debounceTimer?.Change(s_debounce, Timeout.InfiniteTimeSpan);
}
