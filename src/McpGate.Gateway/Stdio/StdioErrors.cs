namespace McpGate.Gateway.Stdio;

/// <summary>The JSON-RPC error codes the bridge answers with itself (docs/stdio.md, "What is refused").</summary>
internal static class StdioErrors
{
    /// <summary>The child exited (or could not be written to) before it answered.</summary>
    public const int ServerExited = -32603;

    /// <summary>A server-to-client request no single session could be asked.</summary>
    public const int NoClient = -32603;

    /// <summary><c>stdio.maxProcesses</c> per-session children are running already.</summary>
    public const int TooManyProcesses = -32000;
}
