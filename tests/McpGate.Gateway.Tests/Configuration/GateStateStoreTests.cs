using McpGate.Gateway.Configuration;
using McpGate.Configuration;
using McpGate.Testing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;

namespace McpGate.Gateway.Tests.Configuration;

/// <summary>
/// Hot reload's timing, driven without waiting: the file's change token is fired by hand and the debounce runs on a
/// <see cref="FakeTimeProvider"/>. The file itself is real and read by the real loader.
/// </summary>
public sealed class GateStateStoreTests : IDisposable
{
    private const string Valid = """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp" } } }""";
    private const string ValidWithTwo = """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp" }, "b": { "url": "http://127.0.0.1:2/mcp" } } }""";

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new();
    private readonly FiredByHand _changes = new();
    private readonly GateStateStore _store;

    public GateStateStoreTests()
    {
        var path = _directory.WriteFile("servers.json", Valid);
        _store = new GateStateStore(ConfigLoader.Load(path), new InMemoryConfigProvider([], []), _time, NullLogger<GateStateStore>.Instance, _changes);
        _store.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void Change_IsLoadedOnceTheFileHasBeenQuietFor200Ms()
    {
        _directory.WriteFile("servers.json", ValidWithTwo);

        _changes.Fire();
        _time.Advance(TimeSpan.FromMilliseconds(199));
        var before = _store.Current.Revision;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        before.Should().Be(1);
        _store.Current.Revision.Should().Be(2);
        _store.Current.Config.Servers.Keys.Should().Equal("a", "b");
    }

    [Fact]
    public void BurstOfChanges_IsOneReloadOfTheFinishedFile()
    {
        var reloads = 0;
        _store.Reloaded += _ => reloads++;

        // An editor's save: truncate, write, rename-over, each a change notification 100 ms apart.
        foreach (var content in new[] { "", "{ \"mcpServers\": {", ValidWithTwo })
        {
            _directory.WriteFile("servers.json", content);
            _changes.Fire();
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        _time.Advance(TimeSpan.FromMilliseconds(100));

        reloads.Should().Be(1);
        _store.RefusedReloads.Should().Be(0);
        _store.Current.Config.Servers.Should().HaveCount(2);
    }

    [Fact]
    public void InvalidChange_IsRefusedAndTheLastGoodVersionStays()
    {
        string? refused = null;
        _store.ReloadRefused += message => refused = message;
        _directory.WriteFile("servers.json", """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp", "headerz": {} } } }""");

        _changes.Fire();
        _time.Advance(TimeSpan.FromMilliseconds(200));

        _store.Current.Revision.Should().Be(1);
        _store.RefusedReloads.Should().Be(1);
        refused.Should().Contain("servers.json").And.Contain("headerz");
    }

    [Fact]
    public async Task AfterStop_ChangesAreIgnored()
    {
        await _store.StopAsync(CancellationToken.None);
        _directory.WriteFile("servers.json", ValidWithTwo);

        _changes.Fire();
        _time.Advance(TimeSpan.FromSeconds(1));

        _store.Current.Revision.Should().Be(1);
    }

    /// <summary>An <see cref="IFileProvider"/> whose only job is the change token, fired by the test.</summary>
    private sealed class FiredByHand : IFileProvider
    {
        private CancellationTokenSource _source = new();

        public void Fire()
        {
            var fired = Interlocked.Exchange(ref _source, new CancellationTokenSource());
            fired.Cancel();
            fired.Dispose();
        }

        public IChangeToken Watch(string filter) => new CancellationChangeToken(_source.Token);

        public IFileInfo GetFileInfo(string subpath) => new NotFoundFileInfo(subpath);

        public IDirectoryContents GetDirectoryContents(string subpath) => NotFoundDirectoryContents.Singleton;
    }
}
