namespace McpGate.Fuzz.Targets;

/// <summary>A fuzz invariant did not hold; thrown so that AFL++ records the input as a crash.</summary>
internal sealed class InvariantBroken(string message) : Exception(message);
