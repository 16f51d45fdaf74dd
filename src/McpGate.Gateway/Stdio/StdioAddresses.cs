namespace McpGate.Gateway.Stdio;

/// <summary>
/// The address YARP forwards a stdio upstream's requests to. It names no host on any network: the cluster's client is
/// <see cref="StdioBridgeHandler"/>, which reads the alias from the path and never opens a socket.
/// </summary>
internal static class StdioAddresses
{
    // .invalid is reserved (RFC 2606): should the address ever leak to a real resolver, it resolves nowhere.
    public const string Host = "stdio.mcpgate.invalid";

    /// <summary>Cluster metadata key marking a stdio cluster (its value is the alias).</summary>
    public const string MetadataKey = "McpGate.Stdio";

    public static Uri For(string alias) => new("http://" + Host + "/" + Uri.EscapeDataString(alias));

    public static bool TryGetAlias(Uri? address, out string alias)
    {
        alias = "";
        if (address is null || !string.Equals(address.Host, Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        alias = Uri.UnescapeDataString(address.AbsolutePath.Trim('/'));
        return alias.Length > 0;
    }
}
