namespace McpGate.Gateway.Hosting;

/// <summary>Settings fixed for the life of the process (a reload cannot move the listen socket).</summary>
/// <param name="Instance">This replica's name in the audit's <c>gate_instance</c> (see <see cref="InstanceName"/>).</param>
internal sealed record GatewayRuntime(string ListenAddress, bool LoopbackOnly, string Instance)
{
    /// <summary>The environment variable that names the replica; Kubernetes sets it from the pod's name (deploy/).</summary>
    public const string InstanceVariable = "MCPGATE_INSTANCE";

    /// <summary><c>MCPGATE_INSTANCE</c>, else host name and process id: unique among replicas on one machine too.</summary>
    public static string InstanceName(Func<string, string?> environment) =>
        environment(InstanceVariable) is { Length: > 0 } name ? name.Trim() : $"{Environment.MachineName}-{Environment.ProcessId}";
}
