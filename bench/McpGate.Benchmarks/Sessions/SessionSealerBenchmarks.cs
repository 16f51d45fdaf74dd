using BenchmarkDotNet.Attributes;
using McpGate.Gateway.Sessions;
using Microsoft.AspNetCore.DataProtection;

namespace McpGate.Benchmarks.Sessions;

/// <summary>
/// The sealed <c>Mcp-Session-Id</c>: what the first request of a session on a replica pays to open it (Data
/// Protection's HMAC and AES), what every later request pays (the replica's cache of opened ids), and sealing it once
/// per <c>initialize</c>.
/// </summary>
[BenchmarkCategory("sessions")]
public class SessionSealerBenchmarks
{
    private static readonly SealedSession s_session = new("github", "3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b", "alice@example.com", null);

    private SessionSealer _sealer = null!;
    private string _sealedId = null!;

    [GlobalSetup]
    public void Setup()
    {
        _sealer = new SessionSealer(new EphemeralDataProtectionProvider());
        _sealedId = _sealer.Seal(s_session);
    }

    [Benchmark]
    public string Seal() => _sealer.Seal(s_session);

    [Benchmark]
    public object? Unseal() => _sealer.Unseal(_sealedId);

    [Benchmark]
    public object? OpenCached() => _sealer.Open(_sealedId);
}
