using McpGate.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace McpGate.Gateway.Configuration;

/// <summary>
/// Holds the policy in force and swaps in a new version when the config file changes (hot reload). An invalid file
/// is refused with the loader's message; the last good policy stays in force. Changes come from an
/// <see cref="IFileProvider"/> change token (a <see cref="PhysicalFileProvider"/> over the file's directory unless one
/// is given) and are debounced on the <see cref="TimeProvider"/>, so a test can drive both without waiting.
/// </summary>
internal sealed class GateStateStore : IHostedService, IDisposable
{
    /// <summary>The symlink a Kubernetes ConfigMap (or Secret) volume swaps atomically on every update.</summary>
    internal const string KubernetesDataLink = "..data";

    private static readonly TimeSpan s_debounce = TimeSpan.FromMilliseconds(200);

    private readonly InMemoryConfigProvider _proxyConfig;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GateStateStore> _logger;
    private readonly Lock _reloadLock = new();
    private IFileProvider? _files;
    private bool _ownsFiles;
    private IDisposable? _changeRegistration;
    private ITimer? _debounceTimer;
    private volatile GateState _current;
    private long _refusedReloads;

    /// <param name="files">Watches the config file's directory; null means a <see cref="PhysicalFileProvider"/> over it.</param>
    public GateStateStore(GateConfig initial, InMemoryConfigProvider proxyConfig, TimeProvider timeProvider, ILogger<GateStateStore> logger, IFileProvider? files = null)
    {
        _files = files;
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

    /// <summary>Raised after a changed file was refused, with the loader's message; the last good version stays.</summary>
    public event Action<string>? ReloadRefused;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(_current.Config.SourcePath);
        var directory = Path.GetDirectoryName(path);
        if (_files is null && directory is not null && Directory.Exists(directory))
        {
            // ExclusionFilters.None: a config named ".servers.json" is watched like any other.
            _files = new PhysicalFileProvider(directory, ExclusionFilters.None);
            _ownsFiles = true;
        }

        if (_files is not null)
        {
            var fileName = Path.GetFileName(path);
            _debounceTimer = _timeProvider.CreateTimer(static state => ((GateStateStore)state!).Reload(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

            // Editors save by write-in-place, by rename-over or by delete-and-create: each fires the token, often
            // several times; the debounce turns a burst into one reload of the finished file. A Kubernetes ConfigMap
            // volume changes none of those: servers.json is a symlink to ..data/servers.json, and an update renames a
            // new ..data symlink over the old one, so the watch on ..data is what sees it (docs/deploy.md).
            _changeRegistration = ChangeToken.OnChange(
                () => new CompositeChangeToken([_files.Watch(fileName), _files.Watch(KubernetesDataLink)]),
                () => _debounceTimer?.Change(s_debounce, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _changeRegistration?.Dispose();
        _changeRegistration = null;
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
                Refuse(ex.Message);
                return false;
            }
            catch (IOException ex)
            {
                // The file is mid-write or briefly gone during a rename-over save; the next event retries.
                Refuse(ex.Message);
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
        _changeRegistration?.Dispose();
        _debounceTimer?.Dispose();
        if (_ownsFiles)
        {
            (_files as IDisposable)?.Dispose();
        }
    }

    private void Refuse(string message)
    {
        Interlocked.Increment(ref _refusedReloads);
        LastReloadError = message;
        _logger.PolicyReloadRefused(message);
        ReloadRefused?.Invoke(message);
    }
}
