using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace McpGate.Gateway.Sessions;

/// <summary>Unhealthy while the session key ring cannot be read: the replica could neither seal nor open a session id.</summary>
internal sealed class SessionKeyRingHealthCheck(SessionSealer sealer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            sealer.ProbeKeyRing();
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"the session key ring cannot be used: {e.Message}"));
        }
    }
}
