namespace McpGate.Gateway.Hosting;

/// <summary>Settings fixed for the life of the process (a reload cannot move the listen socket).</summary>
internal sealed record GatewayRuntime(string ListenAddress, bool LoopbackOnly);
