using McpGate.Gateway.Configuration;
using McpGate.Configuration;
using McpGate.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;

namespace McpGate.Gateway.Tests.Configuration;

/// <summary>
/// A config mounted from a Kubernetes ConfigMap (docs/deploy.md, "Config"): the file is a symlink to
/// <c>..data/servers.json</c>, and the kubelet updates it by renaming a new <c>..data</c> symlink over the old one, so
/// the file's own name never changes. Real symlinks, the real file watcher, the real clock.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ConfigMapReloadTests : IDisposable
{
    private const string One = """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp" } } }""";
    private const string Two = """{ "mcpServers": { "a": { "url": "http://127.0.0.1:1/mcp" }, "b": { "url": "http://127.0.0.1:2/mcp" } } }""";
    private const string Three = """{ "mcpServers": { "c": { "url": "http://127.0.0.1:3/mcp" } } }""";

    private readonly TempDirectory _volume = new();

    public void Dispose() => _volume.Dispose();

    [Fact]
    public async Task KubeletSymlinkSwaps_AreEachPickedUp_WithoutTheFileItselfBeingWritten()
    {
        var configPath = ConfigMapVolume.Create(_volume.Path, One);
        using var store = new GateStateStore(ConfigLoader.Load(configPath), new InMemoryConfigProvider([], []), TimeProvider.System, NullLogger<GateStateStore>.Instance);
        await store.StartAsync(CancellationToken.None);

        foreach (var (content, servers) in new[] { (Two, new[] { "a", "b" }), (Three, new[] { "c" }) })
        {
            var reloaded = new TaskCompletionSource<GateState>(TaskCreationOptions.RunContinuationsAsynchronously);
            store.Reloaded += reloaded.SetResult;
            ConfigMapVolume.Update(_volume.Path, content);

            var state = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
            store.Reloaded -= reloaded.SetResult;
            state.Config.Servers.Keys.Should().BeEquivalentTo(servers);
        }

        await store.StopAsync(CancellationToken.None);
    }
}
