using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace McpGate.Gateway.Sessions;

/// <summary>
/// Loads the shared session key ring before the replica serves, one replica at a time (docs/deploy.md, "Sessions
/// across replicas"). Data Protection makes the first key itself when it finds the ring empty, and replicas starting
/// together would each find it empty and each make one: each then seals with its own key, and another replica whose
/// cached ring lacks that key refuses the ids (Data Protection re-reads the ring on an unknown key only in its first
/// two minutes, then once a day). Holding a lock while the ring is read, and made when empty, leaves one first key.
/// Registered before Data Protection's own hosted service, which would otherwise load the ring unlocked.
/// </summary>
internal sealed class SessionKeyRingStartup(SessionSealer sealer, KeyRingLock keyRingLock, ILogger<SessionKeyRingStartup> logger) : IHostedService
{
    // How long a replica waits for another's first read of the ring, which takes milliseconds to seconds.
    private const int LockWaitSeconds = 30;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IAsyncDisposable? held = null;
        try
        {
            held = await keyRingLock.AcquireAsync(TimeSpan.FromSeconds(LockWaitSeconds), cancellationToken);
            if (held is null)
            {
                logger.KeyRingLockNotTaken(keyRingLock.Description, $"another replica held it for more than {LockWaitSeconds} s");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or RedisException or TimeoutException)
        {
            // Redis away or the directory not writable: the ring cannot be loaded either, and /readyz says so; the
            // replica starts anyway and Data Protection loads the ring once it can.
            logger.KeyRingLockNotTaken(keyRingLock.Description, e.Message);
        }

        try
        {
            sealer.ProbeKeyRing();
        }
        catch (Exception e)
        {
            logger.KeyRingUnavailable(e.Message);
        }
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync();
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A lock every replica sharing the key ring can take: beside the ring, in the same store.</summary>
internal abstract class KeyRingLock
{
    private static readonly TimeSpan s_retry = TimeSpan.FromMilliseconds(50);

    public abstract string Description { get; }

    /// <summary>The held lock, or null when it stayed taken for <paramref name="wait"/>.</summary>
    public async Task<IAsyncDisposable?> AcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (await TryTakeAsync() is { } held)
            {
                return held;
            }

            if (Stopwatch.GetElapsedTime(started) > wait)
            {
                return null;
            }

            await Task.Delay(s_retry, cancellationToken);
        }
    }

    protected abstract ValueTask<IAsyncDisposable?> TryTakeAsync();

    /// <summary>Keys of this process only: nobody to wait for.</summary>
    public sealed class None : KeyRingLock
    {
        public override string Description => "none";

        protected override ValueTask<IAsyncDisposable?> TryTakeAsync() => new(new Released());

        private sealed class Released : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>An exclusive lock (flock) on a file in the key ring directory; Data Protection reads only its *.xml.</summary>
    public sealed class InDirectory(string directory) : KeyRingLock
    {
        internal const string FileName = ".mcpgate-key-ring.lock";

        public override string Description => Path.Combine(directory, FileName);

        protected override ValueTask<IAsyncDisposable?> TryTakeAsync()
        {
            Directory.CreateDirectory(directory);
            try
            {
                return new(new FileStream(Description, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(Description))
            {
                // Held by another replica (a sharing violation); anything else is thrown on.
                return new((IAsyncDisposable?)null);
            }
        }
    }

    /// <summary>A Redis lock (SET NX with an expiry, StackExchange.Redis' LockTake) beside the ring's key.</summary>
    public sealed class InRedis(IConnectionMultiplexer redis, string keyRingKey) : KeyRingLock
    {
        // Longer than any first read of the ring; a replica killed while holding it delays the others this long at most.
        private static readonly TimeSpan s_expiry = TimeSpan.FromSeconds(30);

        private readonly IConnectionMultiplexer _redis = redis;
        private readonly RedisKey _key = keyRingKey + ":lock";
        private readonly RedisValue _token = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

        public override string Description => $"Redis key {_key}";

        protected override async ValueTask<IAsyncDisposable?> TryTakeAsync() =>
            await _redis.GetDatabase().LockTakeAsync(_key, _token, s_expiry) ? new Held(this) : null;

        private sealed class Held(InRedis owner) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync() => await owner._redis.GetDatabase().LockReleaseAsync(owner._key, owner._token);
        }
    }
}

internal static partial class SessionKeyRingLog
{
    [LoggerMessage(600, LogLevel.Warning, "Loading the session key ring without its lock ({Lock}): {Cause}. Replicas starting together may each make a first key", EventName = "KeyRingLockNotTaken")]
    public static partial void KeyRingLockNotTaken(this ILogger logger, string @lock, string cause);

    [LoggerMessage(601, LogLevel.Error, "The session key ring cannot be loaded yet: {Cause}. /readyz reports it until it can", EventName = "KeyRingUnavailable")]
    public static partial void KeyRingUnavailable(this ILogger logger, string cause);
}
