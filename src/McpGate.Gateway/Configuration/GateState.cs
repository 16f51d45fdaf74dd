using McpGate.Configuration;

namespace McpGate.Gateway.Configuration;

/// <summary>One loaded policy version. A request reads <see cref="GateStateStore.Current"/> once and is decided wholly
/// under that snapshot, so a reload never splits a request across two versions.</summary>
internal sealed record GateState(GateConfig Config, DateTimeOffset LoadedAt, int Revision);
