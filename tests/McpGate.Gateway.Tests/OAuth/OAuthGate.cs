using McpGate.Gateway.Tests.Functional;
using McpGate.Testing;

namespace McpGate.Gateway.Tests.OAuth;

/// <summary>
/// A real IdP (<see cref="IdpPeer"/>), a real upstream and the real gate accepting the IdP's tokens on two routes,
/// <c>files</c> and <c>other</c> (<see cref="IdpPeer.GateConfig"/>). Roles come from the token's <c>groups</c> through
/// a roleMap: sre → admin (everything), engineering → dev (read tools on files).
/// </summary>
public sealed class OAuthGate : IAsyncLifetime
{
    public IdpPeer Idp { get; private set; } = null!;

    public TestUpstream Upstream { get; private set; } = null!;

    internal RunningGate Gate { get; private set; } = null!;

    public string Resource => Gate.BaseUrl.GetLeftPart(UriPartial.Authority);

    public string ResourceFor(string alias) => Resource + "/mcp/" + alias;

    public async Task InitializeAsync()
    {
        Idp = await IdpPeer.StartAsync();
        Upstream = await TestUpstream.StartAsync(new TestUpstreamOptions { Era = UpstreamEra.Stateless2026 });
        Gate = await StartGateAsync(Idp, Upstream.McpUrl);
    }

    /// <summary>
    /// The real gate accepting <paramref name="idp"/>'s tokens on routes to <paramref name="upstream"/> as
    /// <see cref="IdpPeer.GateConfig"/> has it, on a port picked first: the config names the gate's own URL.
    /// </summary>
    internal static async Task<RunningGate> StartGateAsync(IdpPeer idp, Uri upstream)
    {
        var port = UnusedLoopback.Port();
        return await RunningGate.StartAsync(idp.GateConfig(upstream, $"http://127.0.0.1:{port}"), port: port);
    }

    public async Task DisposeAsync()
    {
        await Gate.DisposeAsync();
        await Upstream.DisposeAsync();
        await Idp.DisposeAsync();
    }
}
