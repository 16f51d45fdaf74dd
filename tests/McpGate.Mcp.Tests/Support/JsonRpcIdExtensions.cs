using System.Globalization;

// In the production type's namespace so the tests read JsonRpcId.FromNumber(7) wherever they use the type.
namespace McpGate.Mcp.JsonRpc;

/// <summary>Numeric ids for tests. Production reads ids off the wire only (<see cref="JsonRpcId.TryParse"/>), so it
/// has no such factory.</summary>
internal static class JsonRpcIdExtensions
{
    extension(JsonRpcId)
    {
        public static JsonRpcId FromNumber(long value)
            => JsonRpcId.TryParse(value.ToString(CultureInfo.InvariantCulture), out var id) ? id : throw new ArgumentOutOfRangeException(nameof(value));
    }
}
